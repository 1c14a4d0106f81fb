"""Test accuracy and hidden-layer firing rates per epoch of several training runs, one line per run, from their
metrics.csv (no dependencies: writes SVG; convert to PNG with rsvg-convert).
Usage: python3 plot.py out.svg "title" label=run/metrics.csv [label=run/metrics.csv ...]"""
import csv, math, sys
runs = [(a.split('=', 1)[0], list(csv.DictReader(open(a.split('=', 1)[1])))) for a in sys.argv[3:]]
palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#7f7f7f']
W, H, L, R, TOP, B = 420, 300, 62, 14, 40, 46
epochs = max(int(r['epoch']) for _, rows in runs for r in rows)

def panel(x0, title, ylabel, key, log, dash_key=None):
    out = [f'<g transform="translate({x0},30)">']
    ys = [float(r[k]) for _, rows in runs for r in rows for k in (key, dash_key) if k and r.get(k)]
    if log:
        lo, hi = math.floor(math.log10(max(min(y for y in ys if y > 0), 1e-6))), math.ceil(math.log10(max(ys)))
    else:
        lo, hi = 0, max(0.2, math.ceil(max(ys) * 10) / 10)
    def Y(v):
        v = math.log10(max(v, 10 ** lo)) if log else v
        return H - B - (v - lo) / (hi - lo) * (H - B - TOP)
    def X(e): return L + (e / max(epochs, 1)) * (W - L - R)
    out.append(f'<text x="{(L + W - R) / 2}" y="18" text-anchor="middle" font-size="13">{title}</text>')
    ticks = [10.0 ** k for k in range(lo, hi + 1)] if log else [k / 10 for k in range(0, int(round(hi * 10)) + 1)]
    for v in ticks:
        label = f'{v:g}' if log else f'{100 * v:.0f} %'
        out.append(f'<line x1="{L}" y1="{Y(v):.1f}" x2="{W - R}" y2="{Y(v):.1f}" stroke="#e4e4e4"/>'
                   f'<text x="{L - 4}" y="{Y(v) + 4:.1f}" text-anchor="end" font-size="10">{label}</text>')
    for e in range(0, epochs + 1):
        out.append(f'<text x="{X(e):.1f}" y="{H - B + 14}" text-anchor="middle" font-size="10">{e}</text>')
    out.append(f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/><line x1="{L}" y1="{TOP}" x2="{L}" y2="{H - B}" stroke="black"/>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H - B + 30}" text-anchor="middle" font-size="11">epoch</text>')
    out.append(f'<text transform="translate(14,{(TOP + H - B) / 2}) rotate(-90)" text-anchor="middle" font-size="11">{ylabel}</text>')
    for i, (_, rows) in enumerate(runs):
        for k, dash in ((key, ''), (dash_key, ' stroke-dasharray="5,3"')):
            if not k: continue
            pts = [(int(r['epoch']), float(r[k])) for r in rows if r.get(k)]
            d = ' '.join(f'{X(e):.1f},{Y(v):.1f}' for e, v in pts)
            out.append(f'<polyline fill="none" stroke="{palette[i % 6]}" stroke-width="2"{dash} points="{d}"/>')
            out += [f'<circle cx="{X(e):.1f}" cy="{Y(v):.1f}" r="2.5" fill="{palette[i % 6]}"/>' for e, v in pts]
    out.append('</g>')
    return out

svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 40 + 24 * ((len(runs) + 1) // 2)}" font-family="sans-serif">',
       '<rect width="100%" height="100%" fill="white"/>',
       f'<text x="{W}" y="20" text-anchor="middle" font-size="15">{sys.argv[2]}</text>']
svg += panel(0, 'test accuracy', 'test accuracy (chance 10 %)', 'test_accuracy', False)
svg += panel(W, 'hidden-layer rate (solid layer 1, dashed layer 2)', 'spikes per neuron and step (log; 0 at the floor)', 'rate_layer_1', True, 'rate_layer_2')
for i, (label, _) in enumerate(runs):
    x, y = 40 + (i % 2) * W, H + 40 + 24 * (i // 2)
    svg.append(f'<line x1="{x}" y1="{y}" x2="{x + 30}" y2="{y}" stroke="{palette[i % 6]}" stroke-width="3"/>'
               f'<text x="{x + 36}" y="{y + 4}" font-size="12">{label}</text>')
svg.append('</svg>')
open(sys.argv[1], 'w').write('\n'.join(svg))
