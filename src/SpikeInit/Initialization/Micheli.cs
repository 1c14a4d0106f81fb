using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>Where Micheli's firing probability P(u_{l−1} &gt; θ) comes from.</summary>
public enum ProbabilitySource
{
    /// <summary>
    /// Gaussian: <c>P_σ(θ) = ½·erfc((θ − μ)/(σ√2))</c> from the presynaptic membrane's moments (Micheli Eq. 12);
    /// for real-valued (non-spike) input, E[x²] of the input.
    /// </summary>
    Gaussian,
    /// <summary>The firing probability given in the input statistics (e.g. measured on data).</summary>
    Measured,
}

/// <summary>
/// Variance-preserving initialization of Micheli et al. (docs/THEORY.md §M-A2): <c>w ~ N(0, σ_out²/(n·P))</c> with
/// P the presynaptic firing probability, so that <c>Var[u_l] = n·Var[w]·E[x²] = σ_out²</c>; σ_out² defaults to the
/// presynaptic membrane variance σ² (variance preserved). θ = 0 gives Kaiming's 2/n. No bias. Name <c>micheli</c>.
/// </summary>
public sealed record Micheli(ProbabilitySource Probability = ProbabilitySource.Gaussian, double? OutputVariance = null) : ConnectionInitializer
{
    /// <summary>Target membrane variance σ_out² (null: the input's membrane variance).</summary>
    public double? OutputVariance { get; init => field = value is { } v ? Validate.Positive(v, "output_variance") : null; } = OutputVariance;

    /// <inheritdoc />
    public override string Name => "micheli";

    /// <summary>The E[x²] the formula divides by.</summary>
    public double InputSecondMoment(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        InputStatistics x = context.Input;
        if (Probability == ProbabilitySource.Measured)
            return x.FiringProbability ?? throw new ArgumentException("micheli with a measured firing probability needs spike input statistics with firing_probability (--firing-probability)");
        if (!x.Binary) return x.SecondMoment;
        return Gaussian.Tail((context.Neuron.Threshold - x.MembraneMean) / Math.Sqrt(x.MembraneVariance));
    }

    /// <inheritdoc />
    protected override WeightDistribution Weights(InitContext context, int fanIn, int fanOut)
    {
        double variance = MicheliTheory.WeightVarianceFromProbability(fanIn, InputSecondMoment(context),
                                                                      OutputVariance ?? context.Input.MembraneVariance);
        return new NormalWeights(0, Math.Sqrt(variance));
    }
}
