"""Two panels from compare.csv files (no dependencies: writes SVG; convert to PNG with rsvg-convert):
(a) ding-conv after one epoch: test accuracy per (normalization, init), with iterations to 60 % train accuracy;
(b) micheli-mlp after two epochs: test accuracy against depth, one line per init.
Usage: python3 plot.py out.svg DIR   (DIR holds the compare.csv files as ding-norm-NORM.csv, micheli-depth-D.csv and,
optionally, micheli-depth-D-skip.csv, drawn as squares)"""
import csv, glob, os, re, sys
out, root = sys.argv[1], sys.argv[2]
ding, depth = [], {}
for norm in ['none', 'tdbn', 'bntt', 'tebn', 'mpbn']:
    for f in glob.glob(os.path.join(root, f'ding-norm-{norm}.csv')):
        for r in csv.DictReader(open(f)):
            ding.append((r['init'], 'no norm' if norm == 'none' else f'+ {norm}', float(r['test_accuracy']) * 100, r['iterations_to_target'] or 'never'))
skip = {}
for f in glob.glob(os.path.join(root, 'micheli-depth-*.csv')):
    m = re.search(r'micheli-depth-(\d+)(-skip)?\.csv', f)
    for r in csv.DictReader(open(f)):
        (skip if m.group(2) else depth).setdefault(r['init'], []).append((int(m.group(1)), float(r['test_accuracy']) * 100))
W, H, L, B, TOP = 470, 310, 52, 88, 40
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
svg += axes(0, '(a) ding-conv, Fashion-MNIST, 1 epoch, T = 8', 'init, normalization, iterations to 60 % train')
slot = (W - 12 - L) / max(len(ding), 1)
for i, (label, norm, acc, it) in enumerate(ding):
    x = L + i * slot + slot * 0.15
    color = '#1f77b4' if label == 'asymptote' else '#7f7f7f' if norm == 'no norm' else '#2ca02c'
    svg.append(f'<rect x="{x:.1f}" y="{Y(acc):.1f}" width="{slot * 0.7:.1f}" height="{H - B - Y(acc):.1f}" fill="{color}"/>')
    svg.append(f'<text x="{x + slot * 0.35:.1f}" y="{Y(acc) - 4:.1f}" text-anchor="middle" font-size="10">{acc:.1f}</text>')
    svg.append(f'<text x="{x + slot * 0.35:.1f}" y="{H - B + 14}" text-anchor="middle" font-size="10">{label}</text>'
               f'<text x="{x + slot * 0.35:.1f}" y="{H - B + 27}" text-anchor="middle" font-size="10">{norm}</text>')
    svg.append(f'<text x="{x + slot * 0.35:.1f}" y="{H - B + 40}" text-anchor="middle" font-size="10" fill="#444">{it}</text>')
svg += axes(W, '(b) micheli-mlp, Fashion-MNIST, 2 epochs, width 600', 'hidden layers (depth)')
depths = sorted({d for s in depth.values() for d, _ in s}) or [0]
def X(d): return W + L + (d - depths[0]) / max(depths[-1] - depths[0], 1) * (W - 12 - L - 40) + 20
for d in depths:
    svg.append(f'<text x="{X(d):.1f}" y="{H - B + 14}" text-anchor="middle" font-size="10">{d}</text>')
for k, (init, color) in enumerate([('micheli', '#1f77b4'), ('kaiming', '#7f7f7f')]):
    pts = sorted(depth.get(init, []))
    if pts:
        svg.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(color, ' '.join(f'{X(d):.1f},{Y(a):.1f}' for d, a in pts)))
        svg += [f'<circle cx="{X(d):.1f}" cy="{Y(a):.1f}" r="3" fill="{color}"/>' for d, a in pts]
    svg += [f'<rect x="{X(d) - 11 + 12 * k:.1f}" y="{Y(a) - 5:.1f}" width="10" height="10" fill="none" stroke="{color}" stroke-width="2"/>'
            for d, a in skip.get(init, [])]   # side by side: micheli left, kaiming right
    svg.append(f'<line x1="{W + L + 20}" y1="{TOP + 12 + 16 * k}" x2="{W + L + 40}" y2="{TOP + 12 + 16 * k}" stroke="{color}" stroke-width="2"/><text x="{W + L + 44}" y="{TOP + 16 + 16 * k}" font-size="11">{init}</text>')
if skip:
    svg.append(f'<rect x="{W + L + 25}" y="{TOP + 39}" width="10" height="10" fill="none" stroke="black" stroke-width="2"/><text x="{W + L + 44}" y="{TOP + 48}" font-size="11">with --skip-readout</text>')
svg.append('</svg>')
open(out, 'w').write('\n'.join(svg))
