using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>Parameters of Ding et al.'s first-order integrate-and-fire family. k ∈ (0, 1], λ &gt; 0, θ &gt; 0.</summary>
public sealed record KLambdaParameters : INeuronParameters<KLambdaParameters>
{
    /// <summary>Creates the parameters (defaults: Ding's main setting (0.8, 0.2, 1)).</summary>
    public KLambdaParameters(double k = 0.8, double lambda = 0.2, double theta = 1.0, SpikeOptions? spike = null)
    {
        K = k;
        Lambda = lambda;
        Theta = theta;
        Spike = spike ?? SpikeOptions.Default;
    }

    /// <summary>Leak k ∈ (0, 1]; k = 1 is the non-leaky IF neuron; LIF with time constant τ: k = 1 − 1/τ.</summary>
    public double K { get; init => field = Validate.InRange(value, "k", 0, 1, lowOpen: true); }

    /// <summary>Input gain λ &gt; 0 (LIF: R/τ; IF: 1/C).</summary>
    public double Lambda { get; init => field = Validate.Positive(value, "lambda"); }

    /// <summary>Threshold θ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }

    /// <summary>Spike condition and gradient options.</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <summary>The equivalent LIF kernel parameters: β = k, gain λ, hard reset to zero before the decay.</summary>
    public LifParameters ToLif() => new(K, Theta, LifReset.ZeroBeforeDecay, Spike, Lambda);

    /// <inheritdoc />
    public KLambdaParameters WithSpike(SpikeOptions spike) => this with { Spike = spike };
}
