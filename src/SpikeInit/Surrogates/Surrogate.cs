using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

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
