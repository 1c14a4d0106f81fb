namespace SpikeInit.Theory;

/// <summary>
/// Closed forms of Micheli et al.'s variance-preserving initialization for thresholded (binary) activations
/// (docs/THEORY.md §M-A2): with input u_{l−1} ~ N(0, σ²) and target Var[u_l] = σ_out²,
/// <c>Var[w] = σ_out² / (n·P_σ(θ))</c>, <c>P_σ(θ) = ½·erfc(θ/(σ√2))</c>; θ = 0 gives Kaiming's 2/n.
/// </summary>
public static class MicheliTheory
{
    /// <summary>Weight variance that maps input variance σ² to σ_out² through a layer of fan-in n.</summary>
    public static double WeightVariance(int fanIn, double theta, double inputVariance = 1.0, double? outputVariance = null)
    {
        Validate.AtLeast(fanIn, "fan_in", 1);
        Validate.NonNegativeFinite(theta, "theta");
        double p = Gaussian.FiringProbability(theta, Math.Sqrt(Validate.Positive(inputVariance, "input_variance")));
        return WeightVarianceFromProbability(fanIn, p, outputVariance ?? inputVariance);
    }

    /// <summary>
    /// The data-dependent variant: <c>Var[w] = σ_out²/(n·p)</c> with a measured firing probability p ∈ (0, 1].
    /// </summary>
    public static double WeightVarianceFromProbability(int fanIn, double firingProbability, double outputVariance = 1.0)
    {
        Validate.AtLeast(fanIn, "fan_in", 1);
        double p = Validate.InRange(firingProbability, "firing_probability", 0, 1, lowOpen: true);
        if (p < 1e-300) throw new ArgumentOutOfRangeException(nameof(firingProbability), p, "firing_probability is too small: the layer below is silent, no weight scale can restore activity");
        return Validate.Positive(outputVariance, "output_variance") / (fanIn * p);
    }

    /// <summary>Kaiming's one-layer variance map under threshold θ: <c>V_l = 2·Q(θ/√V_{l−1})</c> (0 stays 0).</summary>
    public static double KaimingVarianceMap(double previousVariance, double theta) =>
        previousVariance <= 0 ? 0 : 2 * Gaussian.FiringProbability(theta, Math.Sqrt(previousVariance));

    /// <summary>
    /// Slope of the Micheli mean-field map <c>V ↦ P_{√V}(θ)/P_1(θ)</c> at its fixed point V = 1:
    /// <c>θ·φ(θ)/(2·Q(θ))</c>; above 1 (θ ≳ 1.19) the variance-1 state is unstable across depth.
    /// </summary>
    public static double FixedPointSlope(double theta)
    {
        Validate.NonNegativeFinite(theta, "theta");
        return theta * Gaussian.Density(theta) / (2 * Gaussian.Tail(theta));
    }
}
