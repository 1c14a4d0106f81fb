using TorchSharp;
using static TorchSharp.torch;

namespace SpikeInit.Surrogates;

/// <summary>
/// Arctan surrogate (Fang et al. 2021; SpikingJelly <c>ATan</c>, snnTorch <c>atan</c>):
/// <c>h'(x) = (α/2) / (1 + (π α x / 2)²)</c>, <c>h(x) = arctan(π α x / 2)/π + 1/2</c>. Peak α/2, area 1.
/// Ding et al.'s "arctan, a" is this with α = 2a. Micheli et al. use α = 2 (the default).
/// </summary>
public sealed record ArcTan : Surrogate
{
    /// <summary>Creates the surrogate; <paramref name="alpha"/> &gt; 0.</summary>
    public ArcTan(double alpha = 2.0) => Alpha = alpha;

    /// <summary>Sharpness α (peak α/2).</summary>
    public double Alpha { get; init => field = Validate.Positive(value, "alpha"); }

    /// <inheritdoc />
    public override string Name => $"arctan(alpha={Validate.Format(Alpha)})";
    /// <inheritdoc />
    public override double Peak => Alpha / 2;
    /// <inheritdoc />
    public override double Area => 1;
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x) => x.Times(Math.PI * Alpha / 2).square().Plus(1).reciprocal().Times(Alpha / 2);

    /// <inheritdoc />
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        if (result.Length < x.Length) throw new ArgumentException($"result has {result.Length} elements, x {x.Length}", nameof(result));
        float k = (float)(Math.PI * Alpha / 2), c = (float)(Alpha / 2);
        var kv = new System.Numerics.Vector<float>(k);
        var cv = new System.Numerics.Vector<float>(c);
        ref float xr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float rr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(result);
        int i = 0, w = System.Numerics.Vector<float>.Count;
        for (; i <= x.Length - w; i += w)
        {
            var y = System.Numerics.Vector.LoadUnsafe(ref xr, (nuint)i) * kv;
            System.Numerics.Vector.StoreUnsafe(System.Numerics.Vector<float>.One / (y * y + System.Numerics.Vector<float>.One) * cv, ref rr, (nuint)i);
        }
        for (; i < x.Length; i++)
        {
            float y = x[i] * k;
            result[i] = 1f / (y * y + 1f) * c;
        }
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => torch.atan(x.Times(Math.PI * Alpha / 2)).Over(Math.PI).Plus(0.5);
}
