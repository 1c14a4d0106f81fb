using System.Text.Json.Serialization;
using SpikeInit.Neurons;
using TorchSharp;
using static TorchSharp.torch;
using static SpikeInit.TensorArithmetic;

namespace SpikeInit.Surrogates;

/// <summary>
/// A surrogate gradient: the forward pass is the Heaviside step <c>H(x)</c> of the centered membrane
/// <c>x = u − θ</c>; the backward pass uses <see cref="Derivative(Tensor)"/> in place of the Dirac delta.
/// Each surrogate is a small immutable value with its smooth <see cref="Primitive(Tensor)"/>
/// (<c>h(x) = ∫_{−∞}^{x} h'</c>, so <c>h(−∞) = 0</c> and <c>h(+∞) = </c><see cref="Area"/>),
/// its documented <see cref="Peak"/> (the derivative's maximum, at x = 0) and <see cref="Area"/>.
/// One autograd function (<see cref="SpikeFunction"/>) serves all of them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ArcTan), "arctan")]
[JsonDerivedType(typeof(SigmoidSurrogate), "sigmoid")]
[JsonDerivedType(typeof(TanhSurrogate), "tanh")]
[JsonDerivedType(typeof(HardTanh), "hardtanh")]
[JsonDerivedType(typeof(SuperSpike), "superspike")]
[JsonDerivedType(typeof(NormalizedSurrogate), "normalized")]
public abstract record Surrogate
{
    /// <summary>Short name with parameters, e.g. <c>arctan(alpha=2)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Maximum of the derivative (reached at x = 0).</summary>
    public abstract double Peak { get; }

    /// <summary>Integral of the derivative over the real line.</summary>
    public abstract double Area { get; }

    /// <summary>The surrogate derivative h'(x), elementwise.</summary>
    public abstract Tensor Derivative(Tensor x);

    /// <summary>The smooth primitive h(x) with h(−∞) = 0, elementwise.</summary>
    public abstract Tensor Primitive(Tensor x);

    /// <summary>h'(x) for one value (evaluated in float64 through the tensor definition).</summary>
    public double Derivative(double x) => Scalar(x, Derivative);

    /// <summary>
    /// h'(x) for every element of <paramref name="x"/> into <paramref name="result"/> (float32, the fused kernels' path).
    /// Built-in surrogates evaluate it on the host in the same float32 operations as <see cref="Derivative(Tensor)"/>;
    /// this default, for other subclasses, goes through <see cref="Derivative(Tensor)"/>.
    /// </summary>
    public virtual void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        using var scope = NewDisposeScope();
        Tensor d = Derivative(torch.tensor(x.ToArray())).to(ScalarType.Float32).contiguous();
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(d.bytes).CopyTo(result);
    }

    /// <summary>Applies <paramref name="f"/> element by element (the scalar host path of the built-in surrogates).</summary>
    private protected static void Map(ReadOnlySpan<float> x, Span<float> result, Func<float, float> f)
    {
        for (int i = 0; i < x.Length; i++) result[i] = f(x[i]);
    }

    /// <summary>h(x) for one value (evaluated in float64 through the tensor definition).</summary>
    public double Primitive(double x) => Scalar(x, Primitive);

    /// <summary>Spikes <c>H(x)</c> with this surrogate's backward pass.</summary>
    public Tensor Spike(Tensor centered, SpikeOptions options) => SpikeFunction.Fire(centered, this, options);

    /// <inheritdoc />
    public override string ToString() => Name;

    private static double Scalar(double x, Func<Tensor, Tensor> f)
    {
        using var scope = NewDisposeScope();
        return f(tensor(x, ScalarType.Float64)).item<double>();
    }
}

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

/// <summary>A surrogate of Ding et al.'s Table A3 with one positive slope/height parameter a.</summary>
public abstract record SlopeSurrogate : Surrogate
{
    /// <summary>Sets a &gt; 0.</summary>
    protected SlopeSurrogate(double a) => A = a;

    /// <summary>The parameter a (&gt; 0).</summary>
    public double A { get; init => field = Validate.Positive(value, "a"); }
}

/// <summary>Sigmoid-like surrogate (Ding Table A3): <c>h = σ(a x)</c>, <c>h' = a h (1 − h)</c>. Peak a/4, area 1.</summary>
public sealed record SigmoidSurrogate(double A = 2.0) : SlopeSurrogate(A)
{

    /// <inheritdoc />
    public override string Name => $"sigmoid(a={Validate.Format(A)})";
    /// <inheritdoc />
    public override double Peak => A / 4;
    /// <inheritdoc />
    public override double Area => 1;
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x)
    {
        var h = torch.sigmoid(x.Times(A));
        return (h * OneMinus(h)).Times(A);
    }

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float a = (float)A;
        Map(x, result, v => { float h = 1f / (1f + MathF.Exp(-(v * a))); return h * (1f - h) * a; });
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => torch.sigmoid(x.Times(A));
}

/// <summary>Tanh-like surrogate (Ding Table A3): <c>h = tanh(a x)/2 + 1/2</c>, <c>h' = (a/2)(1 − tanh²(a x))</c>. Peak a/2, area 1.</summary>
public sealed record TanhSurrogate(double A = 2.0) : SlopeSurrogate(A)
{

    /// <inheritdoc />
    public override string Name => $"tanh(a={Validate.Format(A)})";
    /// <inheritdoc />
    public override double Peak => A / 2;
    /// <inheritdoc />
    public override double Area => 1;
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x) => OneMinus(torch.tanh(x.Times(A)).square()).Times(A / 2);

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float a = (float)A, half = (float)(A / 2);
        Map(x, result, v => { float t = MathF.Tanh(v * a); return (1f - t * t) * half; });
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => torch.tanh(x.Times(A)).Times(0.5).Plus(0.5);
}

/// <summary>
/// Hardtanh-like surrogate (Ding Table A3): <c>h = clip(a x + 1/2, 0, 1)</c>, <c>h' = a·[|x| &lt; 1/(2a)]</c>
/// (strict: 0 at the boundary). Peak a, area 1.
/// </summary>
public sealed record HardTanh(double A = 1.0) : SlopeSurrogate(A)
{

    /// <inheritdoc />
    public override string Name => $"hardtanh(a={Validate.Format(A)})";
    /// <inheritdoc />
    public override double Peak => A;
    /// <inheritdoc />
    public override double Area => 1;
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x) => x.abs().LessThan(0.5 / A).to(x.dtype).Times(A);

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float width = (float)(0.5 / A), a = (float)A;
        Map(x, result, v => MathF.Abs(v) < width ? a : 0f);
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => x.Times(A).Plus(0.5).Clamp(0, 1);
}

/// <summary>
/// SuperSpike / fast-sigmoid surrogate exactly as stork computes it: <c>h'(x) = 1/(β|x| + 1)²</c> (no extra factor β;
/// at rest, x = −1, β = 20: 1/441). Primitive <c>x/(1 + β|x|) + 1/β</c>. Peak 1, area 2/β.
/// <see cref="Rescaled"/> multiplies by (β + 1)² so that the derivative is 1 at rest (stork's <c>SuperSpike_rescaled</c>).
/// </summary>
public sealed record SuperSpike : Surrogate
{
    /// <summary>Creates the surrogate; <paramref name="beta"/> &gt; 0.</summary>
    public SuperSpike(double beta = 20.0, bool rescaled = false)
    {
        Beta = beta;
        Rescaled = rescaled;
    }

    /// <summary>Steepness β.</summary>
    public double Beta { get; init => field = Validate.Positive(value, "beta"); }

    /// <summary>Multiply by (β + 1)² (derivative 1 at u = 0 for θ = 1).</summary>
    public bool Rescaled { get; init; }

    private double Scale => Rescaled ? (Beta + 1) * (Beta + 1) : 1.0;

    /// <inheritdoc />
    public override string Name => $"superspike(beta={Validate.Format(Beta)}{(Rescaled ? ", rescaled" : "")})";
    /// <inheritdoc />
    public override double Peak => Scale;
    /// <inheritdoc />
    public override double Area => 2 * Scale / Beta;
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x) => x.abs().Times(Beta).Plus(1).square().reciprocal().Times(Scale);

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float b = (float)Beta, scale = (float)Scale;
        Map(x, result, v => { float d = MathF.Abs(v) * b + 1f; return 1f / (d * d) * scale; });
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => (x / x.abs().Times(Beta).Plus(1)).Plus(1 / Beta).Times(Scale);
}
