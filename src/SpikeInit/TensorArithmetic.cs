using TorchSharp;
using static TorchSharp.torch;

namespace SpikeInit;

/// <summary>
/// Tensor–number arithmetic that reads like the equation and keeps every native <see cref="Scalar"/> alive for the
/// whole native call: <c>u.Times(β).Plus(x).Minus(s.Times(θ))</c> for β·u + x − θ·s.
/// <para>
/// Why not <c>u * 0.5</c>: TorchSharp's implicit number → <see cref="Scalar"/> conversion hands the new Scalar to
/// the finalizer, which can free it while libtorch still reads it (dotnet/TorchSharp#1496; seen here as a rare
/// "toFloat" failure deep into a training run). Its <c>add(Tensor)</c>, <c>add(Scalar)</c> and <c>add_(…)</c> (and so
/// <c>a + b</c> on tensors) convert a fresh alpha 1 on every call, the same race. Real C# operators cannot fix this:
/// TorchSharp defines <c>operator *(Tensor, double)</c> itself and a type's own operators beat extension operators.
/// So every Scalar is created here, disposed only after the call that reads it, and the add alpha is one Scalar that
/// lives as long as the process. The build enforces it: <c>BannedSymbols.txt</c> bans the implicit conversions and
/// the leaking TorchSharp overloads (RS0030) everywhere in the library except this file.
/// </para>
/// Tensor × tensor (<c>*</c>), tensor − tensor (<c>-</c>) and tensor ÷ tensor (<c>/</c>) take no Scalar and stay
/// operators.
/// </summary>
internal static class TensorArithmetic
{
#pragma warning disable RS0030 // the one place that creates Scalars: each is disposed after the native call reading it
    /// <summary>The alpha of every add, alive for the whole process.</summary>
    private static readonly Scalar One = 1.0.ToScalar();

    /// <summary><c>1 − t</c>.</summary>
    public static Tensor OneMinus(Tensor t) => t.SubtractedFrom(1);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/> (<c>torch.full</c>).</summary>
    public static Tensor Full(long[] shape, double value, ScalarType dtype, Device device)
    {
        using Scalar s = value.ToScalar();
        return full(shape, s, dtype, device);
    }

    /// <summary><c>start, start + 1, …, stop − 1</c> as a 1-D tensor of <paramref name="dtype"/> (<c>torch.arange</c>).</summary>
    public static Tensor Arange(long start, long stop, ScalarType dtype)
    {
        using Scalar a = start.ToScalar();
        using Scalar b = stop.ToScalar();
        using Scalar step = 1L.ToScalar();
        return arange(a, b, step, dtype);
    }

    extension(Tensor t)
    {
        /// <summary><c>t + other</c>.</summary>
        public Tensor Plus(Tensor other) => t.add(other, One);

        /// <summary><c>t + v</c>.</summary>
        public Tensor Plus(double v) { using Scalar s = v.ToScalar(); return t.add(s, One); }

        /// <summary><c>t − other</c> (TorchSharp's <c>sub(Tensor)</c> takes no Scalar; named for the equations).</summary>
        public Tensor Minus(Tensor other) => t.sub(other);

        /// <summary><c>t − v</c>.</summary>
        public Tensor Minus(double v) { using Scalar s = v.ToScalar(); return t.sub(s); }

        /// <summary><c>v − t</c>.</summary>
        public Tensor SubtractedFrom(double v) { using Scalar s = v.ToScalar(); return t.neg().add_(s, One); }

        /// <summary><c>t·v</c>.</summary>
        public Tensor Times(double v) { using Scalar s = v.ToScalar(); return t.mul(s); }

        /// <summary><c>t / v</c>.</summary>
        public Tensor Over(double v) { using Scalar s = v.ToScalar(); return t.div(s); }

        /// <summary><c>t^v</c>.</summary>
        public Tensor Pow(double v) { using Scalar s = v.ToScalar(); return t.pow(s); }

        /// <summary><c>t &gt; v</c> (bool).</summary>
        public Tensor GreaterThan(double v) { using Scalar s = v.ToScalar(); return t.gt(s); }

        /// <summary><c>t ≥ v</c> (bool).</summary>
        public Tensor AtLeast(double v) { using Scalar s = v.ToScalar(); return t.ge(s); }

        /// <summary><c>t &lt; v</c> (bool).</summary>
        public Tensor LessThan(double v) { using Scalar s = v.ToScalar(); return t.lt(s); }

        /// <summary><c>max(t, lo)</c>.</summary>
        public Tensor ClampMin(double lo) { using Scalar s = lo.ToScalar(); return t.clamp_min(s); }

        /// <summary><c>min(t, hi)</c>.</summary>
        public Tensor ClampMax(double hi) { using Scalar s = hi.ToScalar(); return t.clamp_max(s); }

        /// <summary><c>min(max(t, lo), hi)</c>.</summary>
        public Tensor Clamp(double lo, double hi) { using Scalar a = lo.ToScalar(); using Scalar b = hi.ToScalar(); return t.clamp(a, b); }

        /// <summary><c>t += other</c>, in place.</summary>
        public Tensor PlusInPlace(Tensor other) => t.add_(other, One);

        /// <summary><c>t += v</c>, in place.</summary>
        public Tensor PlusInPlace(double v) { using Scalar s = v.ToScalar(); return t.add_(s, One); }

        /// <summary><c>t −= other</c>, in place.</summary>
        public Tensor MinusInPlace(Tensor other) => t.sub_(other);

        /// <summary><c>t = v</c> everywhere, in place.</summary>
        public Tensor FillInPlace(double v) { using Scalar s = v.ToScalar(); return t.fill_(s); }

        /// <summary><c>t ·= v</c>, in place.</summary>
        public Tensor TimesInPlace(double v) { using Scalar s = v.ToScalar(); return t.mul_(s); }

        /// <summary><c>t /= v</c>, in place.</summary>
        public Tensor OverInPlace(double v) { using Scalar s = v.ToScalar(); return t.div_(s); }

        /// <summary><c>t += v·a</c>, in place.</summary>
        public Tensor PlusScaledInPlace(Tensor a, double v) { using Scalar s = v.ToScalar(); return t.add_(a, s); }

        /// <summary><c>t += v·a·b</c>, in place.</summary>
        public Tensor PlusProductInPlace(Tensor a, Tensor b, double v) { using Scalar s = v.ToScalar(); return t.addcmul_(a, b, s); }
    }
#pragma warning restore RS0030
}
