using System.Numerics;
using static TorchSharp.torch;

namespace SpikeInit.Surrogates;

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
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result) => Lanes.Map(x, result, new HostDerivative((float)Beta, (float)Scale));

    /// <summary><c>1/(β|x| + 1)²·scale</c> in float32, scalar and vector.</summary>
    private readonly struct HostDerivative(float beta, float scale) : Lanes.IFunction
    {
        public float Apply(float x)
        {
            float d = MathF.Abs(x) * beta + 1f;
            return 1f / (d * d) * scale;
        }

        public Vector<float> Apply(Vector<float> x)
        {
            Vector<float> d = Vector.Abs(x) * new Vector<float>(beta) + Vector<float>.One;
            return Vector<float>.One / (d * d) * new Vector<float>(scale);
        }
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => (x / x.abs().Times(Beta).Plus(1)).Plus(1 / Beta).Times(Scale);
}
