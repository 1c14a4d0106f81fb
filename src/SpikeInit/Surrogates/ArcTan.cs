using System.Numerics;
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
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result) =>
        Lanes.Map(x, result, new HostDerivative((float)(Math.PI * Alpha / 2), (float)(Alpha / 2)));

    /// <summary><c>1/((k x)² + 1)·c</c> with k = πα/2, c = α/2 in float32, scalar and vector.</summary>
    private readonly struct HostDerivative(float k, float c) : Lanes.IFunction
    {
        public float Apply(float x)
        {
            float y = x * k;
            return 1f / (y * y + 1f) * c;
        }

        public Vector<float> Apply(Vector<float> x)
        {
            Vector<float> y = x * new Vector<float>(k);
            return Vector<float>.One / (y * y + Vector<float>.One) * new Vector<float>(c);
        }
    }

    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => torch.atan(x.Times(Math.PI * Alpha / 2)).Over(Math.PI).Plus(0.5);
}
