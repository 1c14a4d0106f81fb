"""Spikes and Var[u] at t = T-1 against depth from a probe.csv (no dependencies: writes SVG; convert to PNG with ImageMagick).
Usage: python3 plot.py probe.csv out.svg"""
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
T = max(int(r['time']) for r in rows)
series = {}
for r in rows:
    if int(r['time']) != T: continue
    series.setdefault((r['method'], r['beta'], r['reset']), []).append((int(r['layer']), float(r['spike_count']), float(r['membrane_var'])))
colors = {'stationary': '#d62728', 'micheli': '#1f77b4', 'kaiming': '#7f7f7f', 'calibrated': '#2ca02c'}
dash = {('0.5', 'minus'): '', ('0.5', 'subtract-before-decay'): '6,3', ('0.9', 'minus'): '2,2', ('0.9', 'subtract-before-decay'): '8,3,2,3'}
W, H, M = 560, 380, 60
def panel(x0, title, idx, log):
    out = [f'<g transform="translate({x0},0)"><text x="{W/2}" y="22" text-anchor="middle" font-size="15">{title}</text>']
    ys = [p[idx] for s in series.values() for p in s]
    ymax = max(ys) * 1.05
    lo, hi = (math.log10(0.01), math.log10(ymax)) if log else (0, ymax)
    def Y(v):
        v = math.log10(max(v, 0.01)) if log else v
        return H - M - (v - lo) / (hi - lo) * (H - 2 * M)
    def X(l): return M + l / 100 * (W - 1.5 * M)
    out.append(f'<line x1="{M}" y1="{H-M}" x2="{W-M/2}" y2="{H-M}" stroke="black"/><line x1="{M}" y1="{M}" x2="{M}" y2="{H-M}" stroke="black"/>')
    for l in range(0, 101, 20):
        out.append(f'<text x="{X(l)}" y="{H-M+16}" text-anchor="middle" font-size="11">{l}</text>')
    step = 10 ** math.floor(math.log10(hi / 5)) if not log else 1
    step = next(step * f for f in (1, 2, 5, 10) if hi / (step * f) <= 7) if not log else 1
    ticks = [10 ** k for k in range(-2, 4) if lo <= k <= hi] if log else [step * k for k in range(int(hi / step) + 1)]
    for v in ticks:
        out.append(f'<text x="{M-5}" y="{Y(v)+4}" text-anchor="end" font-size="11">{v:g}</text><line x1="{M}" y1="{Y(v)}" x2="{W-M/2}" y2="{Y(v)}" stroke="#ddd"/>')
    out.append(f'<text x="{W/2}" y="{H-M+34}" text-anchor="middle" font-size="12">layer</text>')
    for (m, b, r), pts in sorted(series.items()):
        pts.sort()
        d = ' '.join(f'{X(l):.1f},{Y(p[idx-1] if False else (s if idx == 1 else v)):.1f}' for l, s, v in pts)
        out.append(f'<polyline fill="none" stroke="{colors.get(m, "black")}" stroke-width="1.6" stroke-dasharray="{dash.get((b, r), "")}" points="{d}"/>')
    out.append('</g>')
    return out
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2*W}" height="{H+90}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>']
svg += panel(0, f'spikes per sample at t = {T} (T = {T+1}), width 1000', 1, False)
svg += panel(W, f'Var[u] at t = {T} (log scale; 0 drawn at 0.01)', 2, True)
y = H + 10
for i, (m, c) in enumerate(colors.items()):
    if any(k[0] == m for k in series): svg.append(f'<line x1="{70+i*150}" y1="{y}" x2="{100+i*150}" y2="{y}" stroke="{c}" stroke-width="2"/><text x="{105+i*150}" y="{y+4}" font-size="12">{m}</text>')
for i, ((b, r), d) in enumerate(dash.items()):
    svg.append(f'<line x1="{70+i*250}" y1="{y+30}" x2="{110+i*250}" y2="{y+30}" stroke="black" stroke-dasharray="{d}" stroke-width="1.6"/><text x="{115+i*250}" y="{y+34}" font-size="12">beta {b}, {r}</text>')
svg.append('</svg>')
open(sys.argv[2], 'w').write('\n'.join(svg))
