using static TorchSharp.torch;
using static SpikeInit.TensorArithmetic;

namespace SpikeInit.Surrogates;

/// <summary>The normalized shapes f of Herranz-Celotti &amp; Rouat: even, f(0) = 1, ∫f = 1 (spec stability.md §2).</summary>
public enum SurrogateShape
{
    /// <summary><c>f = 1</c> for |x| &lt; 1/2, else 0 (strict).</summary>
    Rectangular,
    /// <summary><c>f = max(0, 1 − |x|)</c>.</summary>
    Triangular,
    /// <summary><c>f = exp(−2|x|)</c>.</summary>
    Exponential,
    /// <summary><c>f = exp(−π x²)</c>.</summary>
    Gaussian,
    /// <summary><c>f = 4 s (1 − s)</c>, <c>s = sigmoid(4x)</c> (derivative of a sigmoid).</summary>
    SigmoidDerivative,
    /// <summary><c>f = (1 + 2|x|)^−2</c> (derivative of the fast sigmoid, SuperSpike).</summary>
    FastSigmoid,
    /// <summary><c>f = (1 + 2|x|/(q − 1))^−q</c>, q &gt; 1 (q-PseudoSpike; q = 2 is the fast sigmoid).</summary>
    QPseudoSpike,
}

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
    public override Tensor Derivative(Tensor x) => Profile(x.Times(Sharpness)).Times(Dampening);

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float sharpness = (float)Sharpness, gamma = (float)Dampening, q = (float)Q, slope = (float)(2 / (Q - 1));
        Func<float, float> profile = Shape switch
        {
            SurrogateShape.Rectangular => y => MathF.Abs(y) < 0.5f ? 1f : 0f,
            SurrogateShape.Triangular => y => MathF.Max(1f - MathF.Abs(y), 0f),
            SurrogateShape.Exponential => y => MathF.Exp(MathF.Abs(y) * -2f),
            SurrogateShape.Gaussian => y => MathF.Exp(y * y * -MathF.PI),
            SurrogateShape.SigmoidDerivative => y => { float s = 1f / (1f + MathF.Exp(-(y * 4f))); return s * (1f - s) * 4f; },
            SurrogateShape.FastSigmoid => y => MathF.Pow(MathF.Abs(y) * 2f + 1f, -2f),
            _ => y => MathF.Pow(MathF.Abs(y) * slope + 1f, -q),
        };
        Map(x, result, v => profile(v * sharpness) * gamma);
    }

    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => HalfIntegral(x.Times(Sharpness)).Plus(0.5).Times(Dampening / Sharpness);

    /// <summary>f(y) for the normalized shape.</summary>
    private Tensor Profile(Tensor y) => Shape switch
    {
        SurrogateShape.Rectangular => y.abs().LessThan(0.5).to(y.dtype),
        SurrogateShape.Triangular => OneMinus(y.abs()).ClampMin(0),
        SurrogateShape.Exponential => y.abs().Times(-2).exp(),
        SurrogateShape.Gaussian => y.square().Times(-Math.PI).exp(),
        SurrogateShape.SigmoidDerivative => SigmoidDerivative(y),
        SurrogateShape.FastSigmoid => y.abs().Times(2).Plus(1).Pow(-2),
        _ => y.abs().Times(2 / (Q - 1)).Plus(1).Pow(-Q),
    };

    /// <summary>F(y) = ∫₀^y f, odd, with F(±∞) = ±1/2.</summary>
    private Tensor HalfIntegral(Tensor y) => Shape switch
    {
        SurrogateShape.Rectangular => y.Clamp(-0.5, 0.5),
        SurrogateShape.Triangular => TriangularHalf(y),
        SurrogateShape.Exponential => (y.sign() * OneMinus(y.abs().Times(-2).exp())).Times(0.5),
        SurrogateShape.Gaussian => y.Times(Math.Sqrt(Math.PI)).erf().Times(0.5),
        SurrogateShape.SigmoidDerivative => y.Times(4).sigmoid().Minus(0.5),
        SurrogateShape.FastSigmoid => y / y.abs().Times(2).Plus(1),
        _ => (y.sign() * OneMinus(y.abs().Times(2 / (Q - 1)).Plus(1).Pow(1 - Q))).Times(0.5),
    };

    private static Tensor SigmoidDerivative(Tensor y)
    {
        var s = y.Times(4).sigmoid();
        return (s * OneMinus(s)).Times(4);
    }

    private static Tensor TriangularHalf(Tensor y)
    {
        var m = y.abs().ClampMax(1);
        return y.sign() * (m - m.square().Times(0.5));
    }
}
