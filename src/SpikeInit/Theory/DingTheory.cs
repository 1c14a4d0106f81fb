namespace SpikeInit.Theory;

/// <summary>
/// Closed forms of Ding et al.'s k/λ integrate-and-fire family (docs/THEORY.md §M-B2–M-B3, reconstructed there):
/// f–i curve (Theorem 1), slant asymptote (Theorem 2), the slant-asymptote initialization and the exact discrete rate.
/// θ &gt; 0, k ∈ (0, 1], λ &gt; 0.
/// </summary>
public static class DingTheory
{
    /// <summary>Weight variance <c>2θ²/(n λ²)</c> (He normal scaled by θ/λ).</summary>
    public static double WeightVariance(int fanIn, double k, double lambda, double theta)
    {
        Check(k, lambda, theta);
        return 2 * theta * theta / (Validate.AtLeast(fanIn, "fan_in", 1) * lambda * lambda);
    }

    /// <summary>Bias at the asymptote's kink <c>b = θ(1 − k)/(2λ)</c> (0 for k = 1).</summary>
    public static double Bias(double k, double lambda, double theta)
    {
        Check(k, lambda, theta);
        return theta * (1 - k) / (2 * lambda);
    }

    /// <summary>Rheobase <c>θ(1 − k)/λ</c>: below it the neuron never fires.</summary>
    public static double Rheobase(double k, double lambda, double theta)
    {
        Check(k, lambda, theta);
        return theta * (1 - k) / lambda;
    }

    /// <summary>Saturation current: θ/λ for k = 1, else <c>(θ/λ)(k − 1)/(e^{k−1} − 1)</c>.</summary>
    public static double SaturationCurrent(double k, double lambda, double theta)
    {
        Check(k, lambda, theta);
        return k == 1.0 ? theta / lambda : theta / lambda * (k - 1) / MathNet.Numerics.SpecialFunctions.Expm1(k - 1);
    }

    /// <summary>Theorem 1: firing rate per step f(i) of the continuous approximation, clipped to [0, 1].</summary>
    public static double Rate(double current, double k, double lambda, double theta)
    {
        Check(k, lambda, theta);
        if (k == 1.0) return Math.Clamp(lambda * current / theta, 0, 1);
        if (current <= Rheobase(k, lambda, theta)) return 0;
        return Math.Min((k - 1) / Math.Log(1 + (k - 1) * theta / (lambda * current)), 1);
    }

    /// <summary>Theorem 2: the slant asymptote <c>f_a(i) = (λ/θ) i + (k − 1)/2</c> (unclipped).</summary>
    public static double Asymptote(double current, double k, double lambda, double theta)
    {
        Check(k, lambda, theta);
        return lambda * current / theta + (k - 1) / 2;
    }

    /// <summary>
    /// Exact discrete rate of Eq. 2 over <paramref name="steps"/> steps from v = 0 with constant current (strict
    /// threshold): <c>⌊T/m*⌋/T</c>, m* = the first m with <c>λ i (1 − k^m)/(1 − k) &gt; θ</c>.
    /// </summary>
    public static double DiscreteRate(double current, double k, double lambda, double theta, int steps)
    {
        Check(k, lambda, theta);
        Validate.AtLeast(steps, "steps", 1);
        double u = 0;
        for (int m = 1; m <= steps; m++)
        {
            u = k * u + lambda * current;
            if (u > theta) return Math.Floor((double)steps / m) / steps;
        }
        return 0;
    }

    /// <summary>
    /// Stationary spikes per step of Eq. 2 (from v = 0, strict threshold) for a constant current drawn from
    /// N(<paramref name="currentMean"/>, <paramref name="currentStd"/>²), averaged over the current:
    /// <c>Σ_m (1/m)·P(c_m &lt; i ≤ c_{m−1})</c> with <c>c_m = θ(1 − k)/(λ(1 − k^m))</c> (<c>θ/(λm)</c> for k = 1) the
    /// smallest current that fires after m steps (the exact discrete period, not the continuous Theorem 1).
    /// </summary>
    public static double MeanStationaryRate(double currentMean, double currentStd, double k, double lambda, double theta)
    {
        Check(k, lambda, theta);
        Validate.Finite(currentMean, "current_mean");
        Validate.NonNegativeFinite(currentStd, "current_std");
        double Threshold(int m) => k == 1.0 ? theta / (lambda * m) : theta * (1 - k) / (lambda * -MathNet.Numerics.SpecialFunctions.Expm1(m * Math.Log(k)));
        double Above(double c) => currentStd == 0 ? (currentMean > c ? 1 : 0) : Gaussian.Tail((c - currentMean) / currentStd);
        double rate = 0, previous = 0; // P(i > c_{m−1}), with c_0 = ∞
        for (int m = 1; m <= 10_000_000; m++)
        {
            double above = Above(Threshold(m));
            rate += (above - previous) / m;
            previous = above;
            double rest = Above(Rheobase(k, lambda, theta)) - above; // mass that fires later, at rate ≤ 1/(m + 1)
            if (rest / (m + 1) < 1e-10) break;
        }
        return rate;
    }

    private static void Check(double k, double lambda, double theta)
    {
        Validate.InRange(k, "k", 0, 1, lowOpen: true);
        Validate.Positive(lambda, "lambda");
        Validate.Positive(theta, "theta");
    }
}
