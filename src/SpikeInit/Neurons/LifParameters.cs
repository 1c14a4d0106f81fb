using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>Parameters of the discrete LIF neuron of <see cref="Lif.Step"/>; validated on construction and on <c>with</c>.</summary>
public sealed record LifParameters : INeuronParameters<LifParameters>
{
    /// <summary>Creates LIF parameters. β ∈ [0, 1], θ &gt; 0, gain &gt; 0.</summary>
    public LifParameters(double beta = 0.5, double theta = 1.0, LifReset reset = LifReset.SubtractNextStep,
                         SpikeOptions? spike = null, double gain = 1.0, bool learn = false)
    {
        Learn = learn;
        Beta = beta;
        Theta = theta;
        Reset = reset;
        Spike = spike ?? SpikeOptions.Default;
        Gain = gain;
    }

    /// <summary>Leak β = exp(−Δt/τ) ∈ [0, 1] (Herranz-Celotti's α; Ding's k).</summary>
    public double Beta { get; init => field = Validate.InRange(value, "beta", 0, 1); }

    /// <summary>Threshold θ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }

    /// <summary>Reset variant.</summary>
    public LifReset Reset { get; init => field = Validate.Defined(value, "reset"); }

    /// <summary>Spike condition and gradient options.</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <summary>Input gain (Ding's λ); 1 for the plain LIF.</summary>
    public double Gain { get; init => field = Validate.Positive(value, "gain"); }

    /// <summary>
    /// Whether the leak and the threshold are trained per neuron (<see cref="LearnedParameters"/>; β and θ are then their
    /// initial values). Herranz-Celotti &amp; Rouat train both.
    /// </summary>
    public bool Learn { get; init; }

    /// <inheritdoc />
    public LifParameters WithSpike(SpikeOptions spike) => this with { Spike = spike };
}
