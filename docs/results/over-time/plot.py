"""Spikes per sample and Var[u] at t = T-1 against depth, one panel per setting (beta, reset), one line per method,
from one or more probe.csv files (no dependencies: writes SVG; convert to PNG with rsvg-convert or ImageMagick).
Usage: python3 plot.py out.svg probe.csv [probe.csv ...]"""
import csv, math, sys
rows = [r for f in sys.argv[2:] for r in csv.DictReader(open(f))]
T = max(int(r['time']) for r in rows)
series = {}
for r in rows:
    if int(r['time']) == T:
        series.setdefault((r['beta'], r['reset'], r['method']), []).append((int(r['layer']), float(r['spike_count']), float(r['membrane_var'])))
settings = sorted({(b, r) for b, r, _ in series})
methods = list(dict.fromkeys(m for _, _, m in sorted(series, key=lambda k: ['stationary', 'micheli', 'kaiming'].index(k[2]) if k[2] in ('stationary', 'micheli', 'kaiming') else 9)))
palette = {'stationary': '#d62728', 'micheli': '#1f77b4', 'kaiming': '#7f7f7f', 'kaiming+calibrated': '#2ca02c'}
W, H, L, R, TOP, B = 330, 270, 58, 12, 34, 40
depth = max(l for s in series.values() for l, _, _ in s)

def panel(x0, y0, beta, reset, idx, log):
    out = [f'<g transform="translate({x0},{y0})">']
    ys = [p[idx] for (b, r, _), s in series.items() if (b, r) == (beta, reset) for p in s]
    if log:
        lo, hi = -2, math.ceil(math.log10(max(ys)))
    else:
        step = next(f * 10 ** k for k in range(-1, 4) for f in (1, 2, 5) if max(ys) / (f * 10 ** k) <= 6)
        lo, hi = 0, step * math.ceil(max(ys) * 1.05 / step)
    def Y(v):
        v = math.log10(max(v, 0.01)) if log else v
        return H - B - (v - lo) / (hi - lo) * (H - B - TOP)
    def X(l): return L + l / depth * (W - L - R)
    quantity = 'Var[u] (log; 0 drawn at 0.01)' if log else 'spikes per sample'
    out.append(f'<text x="{(L + W - R) / 2}" y="16" text-anchor="middle" font-size="13">beta {beta}, {reset}</text>')
    out.append(f'<text x="{(L + W - R) / 2}" y="30" text-anchor="middle" font-size="11" fill="#444">{quantity} at t = {T}</text>')
    ticks = [10.0 ** k for k in range(lo, hi + 1)] if log else [lo + k * step for k in range(round((hi - lo) / step) + 1)]
    for v in ticks:
        out.append(f'<line x1="{L}" y1="{Y(v):.1f}" x2="{W - R}" y2="{Y(v):.1f}" stroke="#e4e4e4"/>'
                   f'<text x="{L - 4}" y="{Y(v) + 4:.1f}" text-anchor="end" font-size="10">{v:g}</text>')
    for l in range(0, depth + 1, 20):
        out.append(f'<text x="{X(l):.1f}" y="{H - B + 14}" text-anchor="middle" font-size="10">{l}</text>')
    out.append(f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/><line x1="{L}" y1="{TOP}" x2="{L}" y2="{H - B}" stroke="black"/>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H - B + 30}" text-anchor="middle" font-size="11">layer</text>')
    for m in methods:
        pts = sorted(series.get((beta, reset, m), []))
        d = ' '.join(f'{X(l):.1f},{Y(p[idx - 1]):.1f}' for l, *p in pts)
        out.append(f'<polyline fill="none" stroke="{palette.get(m, "black")}" stroke-width="1.8" stroke-opacity="0.85" points="{d}"/>')
    out.append('</g>')
    return out

svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W * len(settings)}" height="{2 * H + 70}" font-family="sans-serif">',
       '<rect width="100%" height="100%" fill="white"/>',
       f'<text x="{W * len(settings) / 2}" y="20" text-anchor="middle" font-size="15">100 x 1000 LIF, theta = 1, T = {T + 1}, batch 1: '
       f'activity at the last step t = {T} against depth (mean over repeats)</text>']
for i, (b, r) in enumerate(settings):
    svg += panel(i * W, 30, b, r, 1, False)
    svg += panel(i * W, 30 + H, b, r, 2, True)
for i, m in enumerate(methods):
    x = 40 + i * 220
    svg.append(f'<line x1="{x}" y1="{2 * H + 52}" x2="{x + 30}" y2="{2 * H + 52}" stroke="{palette.get(m, "black")}" stroke-width="3"/>'
               f'<text x="{x + 36}" y="{2 * H + 56}" font-size="13">{m}</text>')
svg.append('</svg>')
open(sys.argv[1], 'w').write('\n'.join(svg))
