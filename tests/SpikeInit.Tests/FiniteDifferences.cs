using TorchSharp.Modules;

namespace SpikeInit.Tests;

/// <summary>Central finite differences of a scalar loss against the autograd gradients already in the parameters' <c>grad</c>.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// For each parameter and each flat index that <paramref name="indices"/> picks from its size, requires
    /// |autograd − (L(p + h) − L(p − h))/(2h)| ≤ tolerance·max(1, |numeric|) with h = 1e-6 (float64 parameters).
    /// </summary>
    public static void Check(IEnumerable<(string name, Parameter parameter)> parameters, Func<double> loss, Func<long, long[]> indices,
                             double tolerance, string label)
    {
        foreach (var (name, p) in parameters)
        {
            Tensor flat = p.detach().view(-1);
            Tensor grad = p.grad!.view(-1);
            foreach (long i in indices(flat.shape[0]))
            {
                double original = flat[i].item<double>();
                const double h = 1e-6;
                using (no_grad()) flat[i] = original + h;
                double up = loss();
                using (no_grad()) flat[i] = original - h;
                double down = loss();
                using (no_grad()) flat[i] = original;
                double numeric = (up - down) / (2 * h), analytic = grad[i].item<double>();
                Assert.True(Math.Abs(numeric - analytic) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                            $"{label} {name}[{i}]: autograd {analytic} vs finite difference {numeric}");
            }
        }
    }
}
