"""Two panels from compare.csv files (no dependencies: writes SVG; convert to PNG with rsvg-convert):
(a) ding-conv after one epoch: test accuracy per (normalization, init), with iterations to 60 % train accuracy;
(b) micheli-mlp after one epoch: test accuracy against depth, one line per init.
Usage: python3 plot.py out.svg RESULTS_DIR   (RESULTS_DIR holds ding-norm-NORM/ and micheli-depth-D/ compare folders)"""
import csv, glob, os, re, sys
out, root = sys.argv[1], sys.argv[2]
ding, depth = [], {}
for norm in ['none', 'tdbn', 'bntt', 'tebn', 'mpbn']:
    for f in glob.glob(os.path.join(root, f'ding-norm-{norm}', 'compare.csv')):
        for r in csv.DictReader(open(f)):
            ding.append((f"{r['init']}" + ('' if norm == 'none' else f' + {norm}'), float(r['test_accuracy']) * 100, r['iterations_to_target'] or 'never'))
for f in glob.glob(os.path.join(root, 'micheli-depth-*', 'compare.csv')):
    d = int(re.search(r'micheli-depth-(\d+)', f).group(1))
    for r in csv.DictReader(open(f)):
        depth.setdefault(r['init'], []).append((d, float(r['test_accuracy']) * 100))
W, H, L, B, TOP = 470, 300, 52, 78, 40
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H}" font-family="DejaVu Sans, sans-serif">',
       f'<rect width="{2 * W}" height="{H}" fill="white"/>']
def axes(x0, title, xlabel):
    s = [f'<text x="{x0 + (L + W - 12) / 2}" y="18" text-anchor="middle" font-size="13">{title}</text>']
    for v in range(0, 101, 20):
        y = H - B - v / 100 * (H - B - TOP)
        s.append(f'<line x1="{x0 + L}" y1="{y:.1f}" x2="{x0 + W - 12}" y2="{y:.1f}" stroke="#e4e4e4"/><text x="{x0 + L - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{v}</text>')
    s.append(f'<line x1="{x0 + L}" y1="{H - B}" x2="{x0 + W - 12}" y2="{H - B}" stroke="black"/><line x1="{x0 + L}" y1="{TOP}" x2="{x0 + L}" y2="{H - B}" stroke="black"/>')
    s.append(f'<text transform="translate({x0 + 14},{(TOP + H - B) / 2}) rotate(-90)" text-anchor="middle" font-size="11">test accuracy (%)</text>')
    s.append(f'<text x="{x0 + (L + W - 12) / 2}" y="{H - 8}" text-anchor="middle" font-size="11">{xlabel}</text>')
    return s
def Y(v): return H - B - v / 100 * (H - B - TOP)
svg += axes(0, '(a) ding-conv, Fashion-MNIST, 1 epoch, T = 8', 'init + normalization (label: iterations to 60 % train)')
slot = (W - 12 - L) / max(len(ding), 1)
for i, (label, acc, it) in enumerate(ding):
    x = L + i * slot + slot * 0.15
    color = '#1f77b4' if label.startswith('asymptote') else '#7f7f7f' if label == 'kaiming' else '#2ca02c'
    svg.append(f'<rect x="{x:.1f}" y="{Y(acc):.1f}" width="{slot * 0.7:.1f}" height="{H - B - Y(acc):.1f}" fill="{color}"/>')
    svg.append(f'<text x="{x + slot * 0.35:.1f}" y="{Y(acc) - 4:.1f}" text-anchor="middle" font-size="10">{acc:.1f}</text>')
    svg.append(f'<text x="{x + slot * 0.35:.1f}" y="{H - B + 14}" text-anchor="middle" font-size="10">{label.replace(" + ", "+")}</text>')
    svg.append(f'<text x="{x + slot * 0.35:.1f}" y="{H - B + 27}" text-anchor="middle" font-size="10" fill="#444">{it}</text>')
svg += axes(W, '(b) micheli-mlp, Fashion-MNIST, 1 epoch, width 600', 'hidden layers (depth)')
depths = sorted({d for s in depth.values() for d, _ in s}) or [0]
def X(d): return W + L + (d - depths[0]) / max(depths[-1] - depths[0], 1) * (W - 12 - L - 40) + 20
for d in depths:
    svg.append(f'<text x="{X(d):.1f}" y="{H - B + 14}" text-anchor="middle" font-size="10">{d}</text>')
for k, (init, color) in enumerate([('micheli', '#1f77b4'), ('kaiming', '#7f7f7f')]):
    pts = sorted(depth.get(init, []))
    if pts:
        svg.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(color, ' '.join(f'{X(d):.1f},{Y(a):.1f}' for d, a in pts)))
        svg += [f'<circle cx="{X(d):.1f}" cy="{Y(a):.1f}" r="3" fill="{color}"/>' for d, a in pts]
    svg.append(f'<line x1="{W + L + 20}" y1="{TOP + 12 + 16 * k}" x2="{W + L + 40}" y2="{TOP + 12 + 16 * k}" stroke="{color}" stroke-width="2"/><text x="{W + L + 44}" y="{TOP + 16 + 16 * k}" font-size="11">{init}</text>')
svg.append('</svg>')
open(out, 'w').write('\n'.join(svg))
