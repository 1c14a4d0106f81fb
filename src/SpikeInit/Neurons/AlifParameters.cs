using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>Parameters of the adaptive LIF neuron of <see cref="Alif.Step"/>; validated on construction and on <c>with</c>.</summary>
public sealed record AlifParameters : INeuronParameters<AlifParameters>
{
    /// <summary>
    /// Creates ALIF parameters: leak β ∈ [0, 1], base threshold θ &gt; 0, threshold increment β_a ≥ 0 (Herranz-Celotti's
    /// code: 1.8), adaptation time constant τ_a &gt; 0 in steps (their rule: half the input length, T_in/2; the presets set
    /// it from the data).
    /// </summary>
    public AlifParameters(double beta = 0.5, double theta = 1.0, double adaptation = 1.8, double tauAdaptation = 50,
                          LifReset reset = LifReset.SubtractNextStep, SpikeOptions? spike = null, bool learn = false)
    {
        Beta = beta;
        Theta = theta;
        Adaptation = adaptation;
        TauAdaptation = tauAdaptation;
        Reset = reset;
        Spike = spike ?? SpikeOptions.Default;
        Learn = learn;
    }

    /// <summary>Membrane leak α = exp(−1/τ) ∈ [0, 1].</summary>
    public double Beta { get; init => field = Validate.InRange(value, "beta", 0, 1); }

    /// <summary>Base threshold ϑ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }

    /// <summary>Threshold increment β_a ≥ 0 per unit of spike trace.</summary>
    public double Adaptation { get; init => field = Validate.NonNegativeFinite(value, "adaptation"); }

    /// <summary>Adaptation time constant τ_a &gt; 0, in steps.</summary>
    public double TauAdaptation { get; init => field = Validate.Positive(value, "tau_adaptation"); }

    /// <summary>The trace's decay per step ρ = exp(−1/τ_a).</summary>
    public double AdaptationDecay => Math.Exp(-1 / TauAdaptation);

    /// <summary>Reset variant (the minus-reset subtracts the adaptive threshold ϑ_t).</summary>
    public LifReset Reset { get; init => field = Validate.Defined(value, "reset"); }

    /// <summary>Spike condition and gradient options.</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <summary>Whether the leak and the base threshold are trained per neuron (<see cref="LearnedParameters"/>).</summary>
    public bool Learn { get; init; }

    /// <inheritdoc />
    public AlifParameters WithSpike(SpikeOptions spike) => this with { Spike = spike };
}
