using MathNet.Numerics.RootFinding;
using SpikeInit.Surrogates;

namespace SpikeInit.Theory;

/// <summary>
/// Closed forms of Herranz-Celotti &amp; Rouat's stability conditions I–IV and the surrogate-gradient moments they use
/// (docs/THEORY.md §S2–S4). <c>n</c> below is the number of recurrent inputs per neuron (layer width − 1, the diagonal
/// is masked), <c>N</c> the feed-forward fan-in, α the leak, ϑ the threshold.
/// </summary>
public static class StabilityTheory
{
    /// <summary><c>F₂(a) = ∫₀^a f(x)² dx</c> of a normalized surrogate shape (odd in a).</summary>
    public static double HalfSquareIntegral(SurrogateShape shape, double a, double q = 1.56) =>
        Math.Sign(a) * NormalizedShape.Of(shape, q).HalfSquareIntegral(Math.Abs(a));

    /// <summary>∫f² over the whole line (= 2·F₂(∞)).</summary>
    public static double SquareIntegral(SurrogateShape shape, double q = 1.56) => 2 * HalfSquareIntegral(shape, 1e12, q);

    /// <summary>
    /// <c>E[σ̃'²]</c> under a uniform voltage prior on [v_min, v_max] (paper Eq. 1, D.5):
    /// <c>γ²/(β Δv)·[F₂(β(v_max − ϑ)) − F₂(β(v_min − ϑ))]</c>.
    /// </summary>
    public static double SurrogateSecondMoment(SurrogateShape shape, double dampening, double sharpness, VoltageRange v, double theta, double q = 1.56)
    {
        Validate.Positive(dampening, "dampening");
        Validate.Positive(sharpness, "sharpness");
        CheckRange(v);
        return dampening * dampening / (sharpness * (v.Max - v.Min))
               * (HalfSquareIntegral(shape, sharpness * (v.Max - theta), q) - HalfSquareIntegral(shape, sharpness * (v.Min - theta), q));
    }

    /// <summary>
    /// Sharpness β with <c>E[σ̃'²](β) = T</c> (docs/THEORY.md §S4.2): bracketed Brent search on log β ∈ [1e-6, 1e6]
    /// (the moment is non-increasing in β).
    /// </summary>
    public static Root SolveSharpness(double target, SurrogateShape shape, double dampening, VoltageRange v, double theta, double q = 1.56)
    {
        Validate.Positive(target, "target");
        double F(double logBeta) => SurrogateSecondMoment(shape, dampening, Math.Exp(logBeta), v, theta, q) - target;
        double lo = Math.Log(1e-6), hi = Math.Log(1e6);
        if (F(lo) < 0) return new Root(RootStatus.TargetTooLarge, double.NaN);
        if (F(hi) > 0) return new Root(RootStatus.TargetTooSmall, double.NaN);
        return new Root(RootStatus.Ok, Math.Exp(Brent.FindRoot(F, lo, hi, 1e-14, 500)));
    }

    /// <summary>
    /// Tail-fatness q of q-PseudoSpike with <c>E[σ̃'²](q) = T</c> at fixed β (docs/THEORY.md §S4.3), q ∈ (1, 1e6]; the moment
    /// increases with q towards the exponential surrogate's value.
    /// </summary>
    public static Root SolveTailFatness(double target, double dampening, double sharpness, VoltageRange v, double theta)
    {
        Validate.Positive(target, "target");
        double F(double q) => SurrogateSecondMoment(SurrogateShape.QPseudoSpike, dampening, sharpness, v, theta, q) - target;
        double lo = 1 + 1e-9, hi = 1e6;
        double fl = F(lo), fh = F(hi);
        if (fl > 0) return new Root(RootStatus.TargetTooSmall, double.NaN);
        if (fh < 0) return new Root(RootStatus.TargetTooLarge, double.NaN);
        return new Root(RootStatus.Ok, Brent.FindRoot(F, lo, hi, 1e-14, 500));
    }

    /// <summary>
    /// Condition I, the recurrent mean weight that puts E[v] at ϑ with P(x = 1) = 1/2 (docs/THEORY.md §S3.3):
    /// minus <c>(3 − 2α)ϑ/n</c>, pre <c>(2 − α)ϑ/n</c>, post <c>2(2 − α)ϑ/n</c> (code: <c>2(1 − α)ϑ/n</c>), each with
    /// the mean input current m_in subtracted as <c>2(c_I ϑ − m_in)/n</c>. With an adaptive threshold (ALIF,
    /// docs/THEORY.md §S10) ϑ becomes the stationary mean threshold ϑ̄ = ϑ + β_a/2 and the minus-reset gains the
    /// correlation of the trace with the spike it subtracts: <c>2(c_I ϑ̄ + β_a(1 − ρ)/4 − m_in)/n</c>.
    /// </summary>
    public static double RecurrentMean(StabilityReset reset, double alpha, double theta, int recurrentInputs,
                                       double inputCurrentMean = 0, FormulaVariant variant = FormulaVariant.Derived,
                                       double adaptationIncrement = 0, double adaptationDecay = 0)
    {
        CheckNeuron(alpha, theta);
        Validate.AtLeast(recurrentInputs, "recurrent_inputs", 1);
        Validate.Finite(inputCurrentMean, "input_current_mean");
        double mean = AdaptiveThreshold.Mean(theta, adaptationIncrement, 0.5);
        if (reset == StabilityReset.Post && variant == FormulaVariant.Code)
            return 2 * ((1 - alpha) * mean - inputCurrentMean) / recurrentInputs;
        double c = reset switch
        {
            StabilityReset.Minus => 1.5 - alpha,
            StabilityReset.Pre => 1 - alpha / 2,
            _ => 2 - alpha,
        };
        double correlation = reset == StabilityReset.Minus ? AdaptiveThreshold.MeanResetTerm(theta, adaptationIncrement, adaptationDecay, 0.5) - mean / 2 : 0;
        return 2 * (c * mean + correlation - inputCurrentMean) / recurrentInputs;
    }

    /// <summary>
    /// Condition II, the recurrent weight variance that matches the input drive's variance (docs/THEORY.md §S3.4):
    /// <c>σ_W² = 2N·Var(W_in)(σ_x² + μ_x²)/n − μ_W²/2</c> (code: without the factor 2). May be ≤ 0 (infeasible).
    /// </summary>
    public static double RecurrentVariance(int fanIn, double inputWeightVariance, double inputMean, double inputVariance,
                                           int recurrentInputs, double recurrentMean, FormulaVariant variant = FormulaVariant.Derived)
    {
        Validate.AtLeast(fanIn, "fan_in", 1);
        Validate.NonNegativeFinite(inputWeightVariance, "input_weight_variance");
        Validate.Finite(inputMean, "input_mean");
        Validate.NonNegativeFinite(inputVariance, "input_variance");
        Validate.AtLeast(recurrentInputs, "recurrent_inputs", 1);
        Validate.Finite(recurrentMean, "recurrent_mean");
        double factor = variant == FormulaVariant.Derived ? 2 : 1;
        return factor * fanIn * inputWeightVariance * (inputVariance + inputMean * inputMean) / recurrentInputs - recurrentMean * recurrentMean / 2;
    }

    /// <summary>
    /// Condition III, the dampening γ that equalizes gradient maxima (docs/THEORY.md §S3.5, ensemble form, δ = 0):
    /// <c>γ = (1 − α)·min W/(max W·(n·min W − ϑ_r))</c> with ϑ_r = ϑ when the minus-reset's gradient is kept, else 0
    /// (then <c>γ = (1 − α)/(n·max W)</c>). With an adaptive threshold of increment β_a (ALIF, docs/THEORY.md §S10.5)
    /// the trace feeds back with opposite sign: <c>γ = (1 − α)/(D − (1 − α)β_a)</c> with <c>D = (1 − α)/γ_LIF</c> the LIF
    /// form's denominator; not positive (returned as is) when the adaptation alone bounds the maxima.
    /// </summary>
    public static double Dampening(double alpha, double maxWeight, double minWeight, int recurrentInputs, double resetTheta,
                                   double adaptationIncrement = 0)
    {
        Validate.InRange(alpha, "alpha", 0, 1, highOpen: true);
        Validate.Positive(maxWeight, "max_weight");
        Validate.AtLeast(recurrentInputs, "recurrent_inputs", 1);
        Validate.NonNegativeFinite(resetTheta, "reset_theta");
        Validate.NonNegativeFinite(adaptationIncrement, "adaptation");
        double denominator = resetTheta == 0
            ? recurrentInputs * maxWeight
            : maxWeight * (recurrentInputs * minWeight - resetTheta) / minWeight;
        return (1 - alpha) / (denominator - (1 - alpha) * adaptationIncrement);
    }

    /// <summary>
    /// Condition IV, the target <c>T = E[σ̃'²]</c> that equalizes gradient variances (docs/THEORY.md §S3.6, δ = 0):
    /// minus <c>(1 − α²)/(n E[W²] + ϑ²)</c> (ϑ² only when the reset gradient is kept), pre <c>(1 − α²/2)/(n E[W²])</c>,
    /// post <c>(2 − α²)/(n E[W²])</c>. With an adaptive threshold (β_a, ρ; ALIF, docs/THEORY.md §S10.5) the trace's path
    /// adds <c>κ·((c_rhs − c₀)β_a² + h)</c> to the denominator, κ = (1 − ρ)/(1 + ρ), and the kept minus-reset's ϑ² becomes
    /// <c>E[(ϑ_t + β_a(1 − ρ)x_{t−1})²]</c> with <c>h = β_a²ρ²/2</c> (at p = ½); β_a = 0 gives the LIF forms.
    /// </summary>
    public static double SurrogateTarget(StabilityReset reset, double alpha, double theta, int recurrentInputs,
                                         double recurrentSecondMoment, bool resetGradient,
                                         double adaptationIncrement = 0, double adaptationDecay = 0)
    {
        CheckNeuron(alpha, theta);
        Validate.AtLeast(recurrentInputs, "recurrent_inputs", 1);
        Validate.Positive(recurrentSecondMoment, "recurrent_second_moment");
        double ba = Validate.NonNegativeFinite(adaptationIncrement, "adaptation");
        double rho = Validate.InRange(adaptationDecay, "adaptation_decay", 0, 1, highOpen: true);
        double a2 = alpha * alpha, drive = recurrentInputs * recurrentSecondMoment;
        // (c_rhs − c₀) over c₁: the LIF table of §S3.6, post-reset scaled to c_rhs = 1
        (double gain, double own) = reset switch
        {
            StabilityReset.Minus => (1 - a2, resetGradient ? KeptResetSquare(theta, ba, rho) : 0),
            StabilityReset.Pre => (1 - a2 / 2, 0),
            _ => (1 - a2 / 2, 0),
        };
        double c1 = reset == StabilityReset.Post ? drive / 2 : drive;
        double h = reset == StabilityReset.Minus && resetGradient ? ba * ba * rho * rho / 2 : 0;
        double kappa = (1 - rho) / (1 + rho);
        return gain / (c1 + own + kappa * (gain * ba * ba + h));
    }

    /// <summary>
    /// <c>E[(ϑ_t + β_a(1 − ρ)x_{t−1})²]</c> at p = ½ (§S10.5): <c>ϑ̄² + β_a²κ p(1 − p) + 2β_a(1 − ρ)E[ϑ_t x_{t−1}] + β_a²(1 − ρ)² p</c>.
    /// </summary>
    private static double KeptResetSquare(double theta, double ba, double rho)
    {
        const double p = 0.5;
        double mean = AdaptiveThreshold.Mean(theta, ba, p), kappa = (1 - rho) / (1 + rho);
        return mean * mean + ba * ba * kappa * p * (1 - p) + 2 * ba * (1 - rho) * AdaptiveThreshold.MeanResetTerm(theta, ba, rho, p)
               + ba * ba * (1 - rho) * (1 - rho) * p;
    }

    /// <summary>
    /// Ensemble voltage range with expected positive/negative column sums of uniform weights (docs/THEORY.md §S8 example A):
    /// <c>v_max = (E[S⁺] + E[S⁺_in])/(1 − α)</c>, <c>v_min = (E[S⁻] + E[S⁻_in] − ρϑ)/(1 − α)</c>, ρ = 1 for the
    /// minus-reset. Weights: W_rec ~ U(μ ± L), W_in ~ U(μ_in ± L_in).
    /// </summary>
    public static VoltageRange ExpectedVoltageRange(StabilityReset reset, double alpha, double theta, int recurrentInputs,
                                                    double recurrentMean, double recurrentHalfWidth, int fanIn,
                                                    double inputMean, double inputHalfWidth)
    {
        CheckNeuron(alpha, theta);
        double sp = recurrentInputs * PositivePart(recurrentMean, recurrentHalfWidth) + fanIn * PositivePart(inputMean, inputHalfWidth);
        double sm = -recurrentInputs * PositivePart(-recurrentMean, recurrentHalfWidth) - fanIn * PositivePart(-inputMean, inputHalfWidth);
        double rho = reset == StabilityReset.Minus ? 1 : 0;
        return new VoltageRange((sm - rho * theta) / (1 - alpha), sp / (1 - alpha));
    }

    /// <summary>E[max(w, 0)] for w ~ U(μ − L, μ + L).</summary>
    private static double PositivePart(double mean, double halfWidth)
    {
        Validate.NonNegativeFinite(halfWidth, "half_width");
        double lo = mean - halfWidth, hi = mean + halfWidth;
        if (lo >= 0) return mean;
        if (hi <= 0) return 0;
        return hi * hi / (4 * halfWidth);
    }

    private static void CheckNeuron(double alpha, double theta)
    {
        Validate.InRange(alpha, "alpha", 0, 1, highOpen: true);
        Validate.Positive(theta, "theta");
    }

    private static void CheckRange(VoltageRange v)
    {
        Validate.Finite(v.Min, "v_min");
        Validate.Finite(v.Max, "v_max");
        if (!(v.Max > v.Min)) throw new ArgumentOutOfRangeException(nameof(v), $"v_max = {Validate.Format(v.Max)} must exceed v_min = {Validate.Format(v.Min)}");
    }
}
