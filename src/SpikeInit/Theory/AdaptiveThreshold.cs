namespace SpikeInit.Theory;

/// <summary>
/// Stationary moments of an adaptive threshold ϑ_t = ϑ + β_a·a_t with the spike trace a_t = ρ·a_{t−1} + (1 − ρ)·x_{t−1}
/// (Bellec et al.'s ALIF as Herranz-Celotti &amp; Rouat use it), for spikes x independent across steps with probability
/// p per step, the assumption of the stability conditions (docs/THEORY.md §S10).
/// </summary>
public static class AdaptiveThreshold
{
    /// <summary>
    /// E[ϑ_t] = ϑ + β_a·p: the trace is an average of past spikes with weights (1 − ρ)ρ^k that sum to 1, so E[a] = p.
    /// </summary>
    public static double Mean(double theta, double increment, double probability) =>
        theta + Validate.NonNegativeFinite(increment, "adaptation") * Validate.InRange(probability, "probability", 0, 1);

    /// <summary>
    /// E[ϑ_t·x_{t−1}] = ϑp + β_a·p·(ρp + 1 − ρ), the mean of the minus-reset term: a_t = ρa_{t−1} + (1 − ρ)x_{t−1} holds
    /// the spike it multiplies (E[x²] = p), while a_{t−1} is independent of x_{t−1}.
    /// </summary>
    public static double MeanResetTerm(double theta, double increment, double decay, double probability)
    {
        Validate.InRange(decay, "adaptation_decay", 0, 1);
        double p = Validate.InRange(probability, "probability", 0, 1);
        return theta * p + Validate.NonNegativeFinite(increment, "adaptation") * p * (decay * p + 1 - decay);
    }
}
