using System.Numerics;
using MathNet.Numerics;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Surrogates;

/// <summary>
/// One normalized shape f of <see cref="SurrogateShape"/> (even, f(0) = 1, ∫f = 1), each described once with everything
/// the library needs of it: f on tensors and on float32 host values (the <see cref="NormalizedSurrogate"/>'s derivative,
/// the same operations in both), its half primitive <c>F(y) = ∫₀^y f</c> (the surrogate's primitive) and its half
/// square integral <c>F₂(a) = ∫₀^a f²</c> (the stability theory's surrogate moments).
/// </summary>
internal abstract class NormalizedShape
{
    /// <summary>The shape; <paramref name="q"/> is q-PseudoSpike's tail-fatness (&gt; 1), ignored by the others.</summary>
    public static NormalizedShape Of(SurrogateShape shape, double q) => shape switch
    {
        SurrogateShape.Rectangular => new Rectangular(),
        SurrogateShape.Triangular => new Triangular(),
        SurrogateShape.Exponential => new Exponential(),
        SurrogateShape.Gaussian => new Gaussian(),
        SurrogateShape.SigmoidDerivative => new SigmoidDerivative(),
        SurrogateShape.FastSigmoid => new FastSigmoid(),
        SurrogateShape.QPseudoSpike => new QPseudoSpike(q),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, $"shape = {shape} is not a normalized surrogate shape"),
    };

    /// <summary>f as a formula in y, for help texts.</summary>
    public abstract string Formula { get; }

    /// <summary>f(y), elementwise.</summary>
    public abstract Tensor Profile(Tensor y);

    /// <summary>f(y) in float32, the same operations as <see cref="Profile(Tensor)"/>.</summary>
    public abstract float Profile(float y);

    /// <summary>
    /// <c>γ·f(β·x)</c> for every element of <paramref name="x"/> into <paramref name="result"/> (in place allowed): the
    /// surrogate derivative on the host. This default runs <see cref="Profile(float)"/> element by element; the shapes made of
    /// plain arithmetic run it vectorized (<see cref="LaneShape{TProfile}"/>), bit for bit the same.
    /// </summary>
    public virtual void Scaled(ReadOnlySpan<float> x, Span<float> result, float sharpness, float gamma)
    {
        if (result.Length < x.Length) throw new ArgumentException($"result has {result.Length} elements, x {x.Length}", nameof(result));
        for (int i = 0; i < x.Length; i++) result[i] = Profile(x[i] * sharpness) * gamma;
    }

    /// <summary>A shape whose f is plain float32 arithmetic, given once in scalar and vector form by <typeparamref name="TProfile"/>.</summary>
    private abstract class LaneShape<TProfile> : NormalizedShape where TProfile : struct, Lanes.IFunction
    {
        public sealed override float Profile(float y) => default(TProfile).Apply(y);

        public sealed override void Scaled(ReadOnlySpan<float> x, Span<float> result, float sharpness, float gamma) =>
            Lanes.Map(x, result, new Lanes.Scaled<TProfile>(sharpness, gamma));
    }

    /// <summary>F(y) = ∫₀^y f, odd, with F(±∞) = ±1/2.</summary>
    public abstract Tensor HalfIntegral(Tensor y);

    /// <summary>F₂(x) = ∫₀^x f² for x ≥ 0.</summary>
    public abstract double HalfSquareIntegral(double x);

    /// <summary><c>F = clip(y, ±1/2)</c>; <c>F₂ = min(x, 1/2)</c>.</summary>
    private sealed class Rectangular : LaneShape<Rectangular.Form>
    {
        public override string Formula => "f = 1 for |y| < 1/2, else 0";
        public override Tensor Profile(Tensor y) => y.abs().LessThan(0.5).to(y.dtype);
        public override Tensor HalfIntegral(Tensor y) => y.Clamp(-0.5, 0.5);
        public override double HalfSquareIntegral(double x) => Math.Min(x, 0.5);

        public readonly struct Form : Lanes.IFunction
        {
            public float Apply(float y) => MathF.Abs(y) < 0.5f ? 1f : 0f;

            public Vector<float> Apply(Vector<float> y) =>
                Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(y), new Vector<float>(0.5f)), Vector<float>.One, Vector<float>.Zero);
        }
    }

    /// <summary><c>F = sign(y)(m − m²/2)</c> with m = min(|y|, 1); <c>F₂ = (1 − (1 − min(x, 1))³)/3</c>.</summary>
    private sealed class Triangular : LaneShape<Triangular.Form>
    {
        public override string Formula => "f = max(0, 1 − |y|)";
        public override Tensor Profile(Tensor y) => OneMinus(y.abs()).ClampMin(0);

        public override Tensor HalfIntegral(Tensor y)
        {
            var m = y.abs().ClampMax(1);
            return y.sign() * (m - m.square().Times(0.5));
        }

        public override double HalfSquareIntegral(double x) => (1 - Math.Pow(1 - Math.Min(x, 1.0), 3)) / 3;

        /// <summary>1 − |y| is never −0, so max agrees with <see cref="MathF.Max(float, float)"/> on every non-NaN y.</summary>
        public readonly struct Form : Lanes.IFunction
        {
            public float Apply(float y) => MathF.Max(1f - MathF.Abs(y), 0f);

            public Vector<float> Apply(Vector<float> y) => Vector.Max(Vector<float>.One - Vector.Abs(y), Vector<float>.Zero);
        }
    }

    /// <summary><c>F = sign(y)(1 − exp(−2|y|))/2</c>; <c>F₂ = (1 − exp(−4x))/4</c>.</summary>
    private sealed class Exponential : NormalizedShape
    {
        public override string Formula => "f = exp(−2|y|)";
        public override Tensor Profile(Tensor y) => y.abs().Times(-2).exp();
        public override float Profile(float y) => MathF.Exp(MathF.Abs(y) * -2f);
        public override Tensor HalfIntegral(Tensor y) => (y.sign() * OneMinus(y.abs().Times(-2).exp())).Times(0.5);
        public override double HalfSquareIntegral(double x) => -SpecialFunctions.Expm1(-4 * x) / 4;
    }

    /// <summary><c>F = erf(√π y)/2</c>; <c>F₂ = erf(√(2π) x)/(2√2)</c>.</summary>
    private sealed class Gaussian : NormalizedShape
    {
        public override string Formula => "f = exp(−π y²)";
        public override Tensor Profile(Tensor y) => y.square().Times(-Math.PI).exp();
        public override float Profile(float y) => MathF.Exp(y * y * -MathF.PI);
        public override Tensor HalfIntegral(Tensor y) => y.Times(Math.Sqrt(Math.PI)).erf().Times(0.5);
        public override double HalfSquareIntegral(double x) => SpecialFunctions.Erf(Math.Sqrt(2 * Math.PI) * x) / (2 * Math.Sqrt(2));
    }

    /// <summary><c>F = σ − 1/2</c> with σ = sigmoid(4y); <c>F₂ = 4(σ²/2 − σ³/3 − 1/12)</c> with σ = sigmoid(4x).</summary>
    private sealed class SigmoidDerivative : NormalizedShape
    {
        public override string Formula => "f = 4σ(1 − σ), σ = sigmoid(4y)";

        public override Tensor Profile(Tensor y)
        {
            var s = y.Times(4).sigmoid();
            return (s * OneMinus(s)).Times(4);
        }

        public override float Profile(float y)
        {
            float s = 1f / (1f + MathF.Exp(-(y * 4f)));
            return s * (1f - s) * 4f;
        }

        public override Tensor HalfIntegral(Tensor y) => y.Times(4).sigmoid().Minus(0.5);

        public override double HalfSquareIntegral(double x)
        {
            double s = 1 / (1 + Math.Exp(-4 * x));
            return 4 * (s * s / 2 - s * s * s / 3 - 1.0 / 12);
        }
    }

    /// <summary><c>F = y/(1 + 2|y|)</c>; <c>F₂ = (1 − (1 + 2x)⁻³)/6</c>.</summary>
    private sealed class FastSigmoid : LaneShape<FastSigmoid.Form>
    {
        public override string Formula => "f = (1 + 2|y|)^−2 (SuperSpike's fast sigmoid)";
        public override Tensor Profile(Tensor y) => y.abs().Times(2).Plus(1).Pow(-2);
        public override Tensor HalfIntegral(Tensor y) => y / y.abs().Times(2).Plus(1);
        public override double HalfSquareIntegral(double x) => (1 - Math.Pow(1 + 2 * x, -3)) / 6;

        /// <summary>1/(d·d) with d = 2|y| + 1: libtorch evaluates a tensor's <c>pow(-2)</c> the same way.</summary>
        public readonly struct Form : Lanes.IFunction
        {
            public float Apply(float y)
            {
                float d = MathF.Abs(y) * 2f + 1f;
                return 1f / (d * d);
            }

            public Vector<float> Apply(Vector<float> y)
            {
                Vector<float> d = Vector.Abs(y) * new Vector<float>(2f) + Vector<float>.One;
                return Vector<float>.One / (d * d);
            }
        }
    }

    /// <summary>
    /// <c>F = sign(y)(1 − (1 + 2|y|/(q − 1))^(1−q))/2</c>; <c>F₂ = (q − 1)/(2(2q − 1))·(1 − (1 + 2x/(q − 1))^(1−2q))</c>.
    /// </summary>
    private sealed class QPseudoSpike : NormalizedShape
    {
        private readonly double q;
        private readonly float qf, slope;

        public QPseudoSpike(double q)
        {
            this.q = Validate.InRange(q, "q", 1, double.MaxValue, lowOpen: true);
            qf = (float)q;
            slope = (float)(2 / (q - 1));
        }

        public override string Formula => "f = (1 + 2|y|/(q − 1))^−q, q > 1 (q-PseudoSpike; q = 2 is the fast sigmoid)";
        public override Tensor Profile(Tensor y) => y.abs().Times(2 / (q - 1)).Plus(1).Pow(-q);
        public override float Profile(float y) => MathF.Pow(MathF.Abs(y) * slope + 1f, -qf);
        public override Tensor HalfIntegral(Tensor y) => (y.sign() * OneMinus(y.abs().Times(2 / (q - 1)).Plus(1).Pow(1 - q))).Times(0.5);
        public override double HalfSquareIntegral(double x) => (q - 1) / (2 * (2 * q - 1)) * (1 - Math.Pow(1 + 2 * x / (q - 1), 1 - 2 * q));
    }
}
