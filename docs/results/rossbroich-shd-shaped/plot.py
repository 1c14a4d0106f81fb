"""Validation accuracy and training loss per epoch of several SpikeInit runs, one line per run, from their metrics.csv
(no dependencies: writes SVG; convert to PNG with rsvg-convert or ImageMagick).
Usage: python3 plot.py out.svg "TITLE" LABEL=run/metrics.csv [LABEL=run/metrics.csv ...]"""
import csv, math, sys

out, title, runs = sys.argv[1], sys.argv[2], [a.split('=', 1) for a in sys.argv[3:]]
data = [(label, [r for r in csv.DictReader(open(path))]) for label, path in runs]
palette = ['#d62728', '#1f77b4', '#2ca02c', '#7f7f7f', '#9467bd', '#ff7f0e']
W, H, L, R, TOP, B = 430, 300, 58, 12, 40, 44
epochs = max(int(r['epoch']) for _, rows in data for r in rows) + 1

def panel(x0, key, name, ymax, percent):
    o = [f'<g transform="translate({x0},30)">']
    step = next(f * 10 ** k for k in range(-3, 4) for f in (1, 2, 5) if ymax / (f * 10 ** k) <= 6)
    hi = step * math.ceil(ymax * 1.02 / step)
    def Y(v): return H - B - v / hi * (H - B - TOP)
    def X(e): return L + (e + 1) / epochs * (W - L - R)
    o.append(f'<text x="{(L + W - R) / 2}" y="20" text-anchor="middle" font-size="13">{name}</text>')
    for k in range(round(hi / step) + 1):
        v = k * step
        label = f'{100 * v:g} %' if percent else f'{v:g}'
        o.append(f'<line x1="{L}" y1="{Y(v):.1f}" x2="{W - R}" y2="{Y(v):.1f}" stroke="#e4e4e4"/>'
                 f'<text x="{L - 4}" y="{Y(v) + 4:.1f}" text-anchor="end" font-size="10">{label}</text>')
    for e in range(1, epochs + 1):
        o.append(f'<text x="{X(e - 1):.1f}" y="{H - B + 14}" text-anchor="middle" font-size="10">{e}</text>')
    o.append(f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/><line x1="{L}" y1="{TOP}" x2="{L}" y2="{H - B}" stroke="black"/>')
    o.append(f'<text x="{(L + W - R) / 2}" y="{H - B + 32}" text-anchor="middle" font-size="11">epoch</text>')
    for i, (label, rows) in enumerate(data):
        pts = ' '.join(f'{X(int(r["epoch"])):.1f},{Y(float(r[key])):.1f}' for r in rows)
        o.append(f'<polyline fill="none" stroke="{palette[i % len(palette)]}" stroke-width="2" points="{pts}"/>')
        for r in rows:
            o.append(f'<circle cx="{X(int(r["epoch"])):.1f}" cy="{Y(float(r[key])):.1f}" r="2.5" fill="{palette[i % len(palette)]}"/>')
    o.append('</g>')
    return o

acc_max = max(float(r['val_accuracy']) for _, rows in data for r in rows)
loss_max = max(float(r['train_loss']) for _, rows in data for r in rows)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 30 + 22 * len(data)}" font-family="sans-serif">',
       '<rect width="100%" height="100%" fill="white"/>',
       f'<text x="{W}" y="20" text-anchor="middle" font-size="15">{title}</text>']
svg += panel(0, 'val_accuracy', 'validation accuracy', max(acc_max, 0.1), True)
svg += panel(W, 'train_loss', 'training loss (cross-entropy, without regularizers)', loss_max, False)
for i, (label, _) in enumerate(data):
    y = H + 40 + 22 * i
    svg.append(f'<line x1="{L}" y1="{y - 4}" x2="{L + 24}" y2="{y - 4}" stroke="{palette[i % len(palette)]}" stroke-width="3"/>'
               f'<text x="{L + 32}" y="{y}" font-size="12">{label}</text>')
svg.append('</svg>')
open(out, 'w').write('\n'.join(svg))
