# The PyTorch reference values of SlstmTests.Loss_and_gradients_of_two_layers_match_an_independent_PyTorch_reference
# (an independent implementation of the authors' spikingLSTM, docs/THEORY.md §S11). Run: /usr/bin/python3 slstm_reference_gradients.py
import math, torch
torch.set_default_dtype(torch.float64)
class Step(torch.autograd.Function):
    @staticmethod
    def forward(ctx, v): ctx.save_for_backward(v); return (v > 0).to(v.dtype)
    @staticmethod
    def backward(ctx, g): v, = ctx.saved_tensors; return g / (1 + 2 * v.abs()) ** 2
H = Step.apply
def grid(rows, cols, a, b, c, s):   # s·sin(a·r + b·k + c)
    r = torch.arange(rows, dtype=torch.float64).view(-1, 1); k = torch.arange(cols, dtype=torch.float64).view(1, -1)
    return s * torch.sin(a * r + b * k + c)
T, B, NIN, N1, N2 = 12, 2, 5, 3, 2
x = (grid(T * B, NIN, 1.7, 2.3, 0.4, 1.0) > 0.3).to(torch.float64).view(T, B, NIN)
r = grid(T * B, N2, 0.9, 1.9, 0.2, 1.0).view(T, B, N2)
def layer(inp, nin, n, seed):
    W = grid(4 * n, nin, 0.37 + seed, 1.13, 0.5, 0.8).requires_grad_()
    U = grid(4 * n, n, 0.71, 0.53 + seed, 0.3, 0.6).requires_grad_()
    b = grid(1, 4 * n, 0.0, 0.97, seed, 0.3).view(-1).requires_grad_()
    c = torch.zeros(inp.shape[1], n); h = torch.zeros_like(c); out = []
    for t in range(inp.shape[0]):
        ai, af, az, ao = (inp[t] @ W.T + b + h @ U.T).split(n, 1)
        c = H(af) * c + H(ai) * (2 * H(az) - 1); h = H(ao) * (2 * H(c) - 1); out.append(h)
    return torch.stack(out), (W, U, b)
h1, p1 = layer(x, NIN, N1, 0.0); h2, p2 = layer(h1, N1, N2, 1.0)
loss = (h2 * r).sum(); loss.backward()
print('loss', repr(loss.item()), 'sum|h1|', (h1.abs().sum()).item(), 'sum|h2|', h2.abs().sum().item())
for name, p in zip(['W1', 'U1', 'b1', 'W2', 'U2', 'b2'], list(p1) + list(p2)):
    print(name, 'sum', repr(p.grad.sum().item()), 'sumsq', repr((p.grad ** 2).sum().item()))
