using TorchSharp;
using static TorchSharp.torch;

namespace SpikeInit;

/// <summary>
/// Tensor–number arithmetic that keeps the native <see cref="Scalar"/> alive for the whole native call. TorchSharp's
/// implicit double → Scalar conversion leaves the Scalar to the finalizer, which can free it while libtorch still reads
/// it (dotnet/TorchSharp#1496; seen here as a rare "toFloat" failure deep into a training run). Hot paths — neuron
/// kernels, surrogates, optimizers — use these instead of <c>tensor * 0.5</c>.
/// </summary>
internal static class Sc
{
    /// <summary>
    /// The alpha of every add: TorchSharp's <c>add(Tensor)</c>, <c>add(Scalar)</c> and <c>add_(…)</c> convert a fresh 1 to a
    /// Scalar on each call (the same race), so the helpers pass this one, which lives as long as the process.
    /// </summary>
    private static readonly Scalar One = 1.0;

    /// <summary>a + b.</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);
    /// <summary>a − b (TorchSharp's <c>sub(Tensor)</c> takes no Scalar; kept for symmetry).</summary>
    public static Tensor Minus(Tensor a, Tensor b) => a.sub(b);
    /// <summary>a += b.</summary>
    public static Tensor PlusInPlace(Tensor a, Tensor b) => a.add_(b, One);
    /// <summary>a −= b.</summary>
    public static Tensor MinusInPlace(Tensor a, Tensor b) => a.sub_(b);

    public static Tensor Mul(Tensor t, double v) { using Scalar s = v; return t.mul(s); }
    public static Tensor Add(Tensor t, double v) { using Scalar s = v; return t.add(s, One); }
    public static Tensor Sub(Tensor t, double v) { using Scalar s = v; return t.sub(s); }
    public static Tensor Div(Tensor t, double v) { using Scalar s = v; return t.div(s); }
    /// <summary>v − t.</summary>
    public static Tensor RSub(double v, Tensor t) { using Scalar s = v; return t.neg().add_(s, One); }
    /// <summary>v / t.</summary>
    public static Tensor RDiv(double v, Tensor t) { using Scalar s = v; return t.reciprocal().mul_(s); }
    public static Tensor Pow(Tensor t, double v) { using Scalar s = v; return t.pow(s); }
    public static Tensor Gt(Tensor t, double v) { using Scalar s = v; return t.gt(s); }
    public static Tensor Ge(Tensor t, double v) { using Scalar s = v; return t.ge(s); }
    public static Tensor Lt(Tensor t, double v) { using Scalar s = v; return t.lt(s); }
    public static Tensor MulInPlace(Tensor t, double v) { using Scalar s = v; return t.mul_(s); }
    public static Tensor AddInPlace(Tensor t, double v) { using Scalar s = v; return t.add_(s, One); }
    /// <summary>t += a·v in place.</summary>
    public static Tensor AddScaledInPlace(Tensor t, Tensor a, double v) { using Scalar s = v; return t.add_(a, s); }
    /// <summary>t += v·a·b in place.</summary>
    public static Tensor AddProductInPlace(Tensor t, Tensor a, Tensor b, double v) { using Scalar s = v; return t.addcmul_(a, b, s); }
    public static Tensor ClampMin(Tensor t, double v) { using Scalar s = v; return t.clamp_min(s); }
    public static Tensor Clamp(Tensor t, double lo, double hi) { using Scalar a = lo; using Scalar b = hi; return t.clamp(a, b); }
}
