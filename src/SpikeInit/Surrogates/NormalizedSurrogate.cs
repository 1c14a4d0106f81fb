using static TorchSharp.torch;

namespace SpikeInit.Surrogates;

/// <summary>
/// Herranz-Celotti &amp; Rouat's parameterization <c>σ̃'(x) = γ·f(β·x)</c> with dampening (height) γ, sharpness β
/// (support and area scale as 1/β) and, for q-PseudoSpike, tail-fatness q. Peak γ, area γ/β.
/// Primitive: <c>(γ/β)·(F(βx) + 1/2)</c> with <c>F(y) = ∫₀^y f</c>.
/// </summary>
public sealed record NormalizedSurrogate : Surrogate
{
    /// <summary>Creates the surrogate. γ &gt; 0, β &gt; 0, q &gt; 1 (q is used by q-PseudoSpike only).</summary>
    public NormalizedSurrogate(SurrogateShape shape, double dampening = 1.0, double sharpness = 1.0, double q = 1.56)
    {
        Shape = shape;
        Dampening = dampening;
        Sharpness = sharpness;
        Q = q;
    }

    /// <summary>The shape f.</summary>
    public SurrogateShape Shape { get; init => field = Validate.Defined(value, "shape"); }

    /// <summary>Dampening γ (the peak height).</summary>
    public double Dampening { get; init => field = Validate.Positive(value, "dampening"); }

    /// <summary>Sharpness β (inverse width).</summary>
    public double Sharpness { get; init => field = Validate.Positive(value, "sharpness"); }

    /// <summary>Tail-fatness q &gt; 1 of q-PseudoSpike (the code default is 1.56).</summary>
    public double Q { get; init => field = Validate.InRange(value, "q", 1, double.MaxValue, lowOpen: true); }

    /// <inheritdoc />
    public override string Name => $"{Shape}(gamma={Validate.Format(Dampening)}, beta={Validate.Format(Sharpness)}"
                                   + (Shape == SurrogateShape.QPseudoSpike ? $", q={Validate.Format(Q)})" : ")");
    /// <inheritdoc />
    public override double Peak => Dampening;
    /// <inheritdoc />
    public override double Area => Dampening / Sharpness;

    /// <inheritdoc />
    public override Tensor Derivative(Tensor x) => Function.Profile(x.Times(Sharpness)).Times(Dampening);

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result) => Function.Scaled(x, result, (float)Sharpness, (float)Dampening);

    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => Function.HalfIntegral(x.Times(Sharpness)).Plus(0.5).Times(Dampening / Sharpness);

    /// <summary>The shape f (with this surrogate's q).</summary>
    internal NormalizedShape Function => NormalizedShape.Of(Shape, Q);
}
