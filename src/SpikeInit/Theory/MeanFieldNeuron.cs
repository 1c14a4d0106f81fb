using SpikeInit.Surrogates;

namespace SpikeInit.Theory;

/// <summary>
/// One discrete LIF-family neuron as plain numbers for <see cref="MeanField"/>: <c>u_t</c> = the charge of
/// <see cref="Reset"/> with leak β, scaled input <c>x_t = g·I_t</c> and threshold θ, then <c>s_t = H(u_t − θ)</c>
/// (docs/THEORY.md §L1); <c>u_{−1} = s_{−1} = 0</c>. Validated on construction and on <c>with</c>.
/// </summary>
public sealed record MeanFieldNeuron
{
    /// <summary>Creates the neuron. g &gt; 0, β ∈ [0, 1], θ &gt; 0.</summary>
    public MeanFieldNeuron(double gain, double leak, double theta, MembraneReset reset, SpikeCondition condition = SpikeCondition.Greater)
    {
        Gain = gain;
        Leak = leak;
        Theta = theta;
        Reset = reset;
        Condition = condition;
    }

    /// <summary>Input gain g &gt; 0.</summary>
    public double Gain { get; init => field = Validate.Positive(value, "gain"); }
    /// <summary>Leak β ∈ [0, 1].</summary>
    public double Leak { get; init => field = Validate.InRange(value, "beta", 0, 1); }
    /// <summary>Threshold θ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }
    /// <summary>The reset variant.</summary>
    public MembraneReset Reset { get; init => field = Validate.Defined(value, "reset"); }
    /// <summary>The spike condition.</summary>
    public SpikeCondition Condition { get; init => field = Validate.Defined(value, "spike condition"); }

    /// <summary>u_t from u_{t−1}, whether the neuron spiked at t − 1, and the scaled input x_t = g·I_t (§L1's table).</summary>
    public double Charge(double u, bool spiked, double x)
    {
        double s = spiked ? 1 : 0;
        return Reset switch
        {
            MembraneReset.SubtractNextStep => Leak * u + x - Theta * s,
            MembraneReset.SubtractBeforeDecay => Leak * (u - Theta * s) + x,
            MembraneReset.ZeroBeforeDecay => Leak * u * (1 - s) + x,
            MembraneReset.ZeroAfterInput => (Leak * u + x) * (1 - s),
            _ => Leak * u + x,
        };
    }

    /// <summary>s_t = H(u_t − θ) under <see cref="Condition"/>.</summary>
    public bool Fires(double u) => Condition == SpikeCondition.GreaterOrEqual ? u >= Theta : u > Theta;
}
