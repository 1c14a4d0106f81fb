# Independent PyTorch reference of hc-slstm (the authors' spikingLSTM, docs/THEORY.md §S11): trains it on latency-coded MNIST
# digits from SpikeInit's cache with the hc-slstm network and readout, and the variants of docs/RESULTS.md. Written for
# SpikeInit (not the authors' code). Run with Debian's python3-torch: /usr/bin/python3 slstm_reference.py --help
import gzip, sys, math, time, argparse, numpy as np, torch
p = argparse.ArgumentParser()
p.add_argument('--variant', default='authors', help='authors (h = o(2H(c)-1), z = 2H(a)-1) | smooth (forward = surrogate primitive) | sign (h = o sign(c)) | binary (z = H(a), h = o H(c))')
p.add_argument('--readout', default='mean', help='mean: leaky readout (alpha 0.9) mean membrane, as hc-slstm | pertime: cross-entropy at every step on a dense readout of h')
p.add_argument('--epochs', type=int, default=15); p.add_argument('--lr', type=float, default=3.16e-4, help='Adam learning rate')
p.add_argument('--n', type=int, default=100, help='digits (90 %% trained on)'); p.add_argument('--batch', type=int, default=20)
p.add_argument('--seed', type=int, default=42); p.add_argument('--fbias', type=float, default=0.0, help='forget-gate bias at init')
p.add_argument('--obias', type=float, default=0.0, help='output-gate bias at init')
p.add_argument('--uscale', type=float, default=1.0, help='recurrent weights times this at init')
p.add_argument('--rscale', type=float, default=1.0, help='readout weights times this at init')
p.add_argument('--damp', type=float, default=1.0, help='surrogate dampening'); p.add_argument('--sharp', type=float, default=1.0, help='surrogate sharpness')
p.add_argument('--readout-only', action='store_true', help='train the readout only')
p.add_argument('--diag', action='store_true', help='print activity and gradient-through-time statistics at init')
a = p.parse_args()
torch.manual_seed(a.seed); torch.set_num_threads(1)
def idx(path):
    b = gzip.open(path).read(); nd = b[3]; dims = [int.from_bytes(b[4+4*i:8+4*i], 'big') for i in range(nd)]
    return np.frombuffer(b, np.uint8, offset=4+4*nd).reshape(dims)
SEL = np.random.RandomState(a.seed).permutation(7996)[:a.n]
X = idx('/root/.cache/spikeinit/mnist/train-images-idx3-ubyte.gz')[SEL].reshape(a.n, -1) / 255.0
Y = torch.tensor(idx('/root/.cache/spikeinit/mnist/train-labels-idx1-ubyte.gz')[SEL].astype(np.int64))
def latency(x, T=100, tau=50., thr=.2):
    x = torch.tensor(x, dtype=torch.float64); above = x > thr
    t = (tau * torch.log(x / (x - thr).clamp_min(1e-12))).round().clamp(0, T)
    fire = above & (t < T); out = torch.zeros(T, *x.shape)
    for s in range(T): out[s] = (fire & (t == s)).float()
    return out.float()
S = latency(X)                                   # [T, n, 784]
class Step(torch.autograd.Function):
    @staticmethod
    def forward(ctx, v): ctx.save_for_backward(v); return (v > 0).float()
    @staticmethod
    def backward(ctx, g): v, = ctx.saved_tensors; return a.damp * g / (1 + 2 * a.sharp * v.abs()) ** 2
def H(v): return Step.apply(v) if a.variant != 'smooth' else 0.5 + 0.5 * torch.sign(v) * (1 - 1 / (1 + 2 * v.abs()))
def glorot(o, i): b = math.sqrt(6 / (o + i)); return (torch.rand(o, i) * 2 - 1) * b
class Cell(torch.nn.Module):
    def __init__(s, nin, n):
        super().__init__(); s.n = n
        s.W = torch.nn.Parameter(torch.cat([glorot(n, nin) for _ in range(4)]))
        s.U = torch.nn.Parameter(torch.cat([glorot(n, n) for _ in range(4)]) * a.uscale)
        b = torch.zeros(4 * n); b[n:2*n] = a.fbias; b[3*n:] = a.obias; s.b = torch.nn.Parameter(b)
    def forward(s, x):
        B = x.shape[1]; c = torch.zeros(B, s.n); h = torch.zeros(B, s.n); out = []
        for t in range(x.shape[0]):
            ai, af, az, ao = (x[t] @ s.W.T + s.b + h @ s.U.T).split(s.n, 1)
            if a.variant == 'binary': c = H(af) * c + H(ai) * H(az); h = H(ao) * H(c)
            elif a.variant == 'sign': c = H(af) * c + H(ai) * (2 * H(az) - 1); h = H(ao) * (H(c) - H(-c))
            else: c = H(af) * c + H(ai) * (2 * H(az) - 1); h = H(ao) * (2 * H(c) - 1)
            out.append(h)
        return torch.stack(out)
l1, l2 = Cell(784, 85), Cell(85, 85)
R = torch.nn.Linear(85, 10); R.weight.data = glorot(10, 85) * a.rscale; R.bias.data.zero_()
params = list(R.parameters()) if a.readout_only else list(l1.parameters()) + list(l2.parameters()) + list(R.parameters())
opt = torch.optim.Adam(params, lr=a.lr)
def logits(x):
    h2 = l2(l1(x)); I = R(h2)
    if a.readout == 'pertime': return I, h2
    u = torch.zeros_like(I[0]); us = []
    for t in range(I.shape[0]): u = 0.9 * u + I[t]; us.append(u)
    return torch.stack(us).mean(0), h2
ntr = int(a.n * 0.9)
if a.diag:
    x = S[:, :20]
    h1 = l1(x); h1r = h1.detach().requires_grad_(); h2 = l2(h1r); I = R(h2); u = torch.zeros_like(I[0]); us = []
    for t in range(I.shape[0]): u = 0.9 * u + I[t]; us.append(u)
    loss = torch.nn.functional.cross_entropy(torch.stack(us).mean(0), Y[:20], label_smoothing=0.1); loss.backward()
    gn = h1r.grad.norm(dim=(1, 2))
    print('|dL/dh1_t| at t=11,12,20,40,60,80,99:', [f'{gn[t].item():.3g}' for t in (11, 12, 20, 40, 60, 80, 99)])
if a.diag:
    with torch.no_grad():
        h1 = l1(S[:, :ntr]); h2 = l2(h1)
        for nm, h in (('h1', h1), ('h2', h2)):
            act = (h != 0).float().mean((1, 2))
            print(nm, 'active fraction at t=0,10,11,12,20,50,99:', [round(act[t].item(), 3) for t in (0, 10, 11, 12, 20, 50, 99)],
                  'mean h', round(h.mean().item(), 3))
            f = h[50:].mean(0)      # time-mean features after step 50 per sample
            print(nm, 'std over samples of late time-mean features', round(f.std(0).mean().item(), 4),
                  ' std over time within a sample', round(h[50:].std(0).mean().item(), 4))
for ep in range(a.epochs):
    perm = torch.randperm(ntr); correct = 0; tot = 0.; t0 = time.time()
    for k in range(0, ntr, a.batch):
        ix = perm[k:k + a.batch]; out, _ = logits(S[:, ix])
        if a.readout == 'pertime':
            loss = torch.nn.functional.cross_entropy(out.reshape(-1, 10), Y[ix].repeat(out.shape[0]), label_smoothing=0.1)
            pred = out.mean(0).argmax(1)
        else:
            loss = torch.nn.functional.cross_entropy(out, Y[ix], label_smoothing=0.1); pred = out.argmax(1)
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(params, 1.0); opt.step()
        correct += (pred == Y[ix]).sum().item(); tot += loss.item() * len(ix)
    print(f'epoch {ep+1} train acc {100*correct/ntr:.1f} % loss {tot/ntr:.3f} ({time.time()-t0:.1f} s)', flush=True)
