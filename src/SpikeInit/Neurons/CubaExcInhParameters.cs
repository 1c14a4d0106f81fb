using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>Parameters of stork's excitatory/inhibitory current-based LIF (<c>ExcInhLIFGroup</c>). Times in seconds.</summary>
public sealed record CubaExcInhParameters : INeuronParameters<CubaExcInhParameters>
{
    /// <summary>Creates the parameters (defaults: dt 2 ms, τ_mem 20 ms, τ_exc 10 ms, τ_inh 20 ms, θ = 1).</summary>
    public CubaExcInhParameters(double dt = 2e-3, double tauMem = 20e-3, double tauExc = 10e-3, double tauInh = 20e-3,
                                double theta = 1.0, SpikeOptions? spike = null)
    {
        Dt = dt;
        TauMem = tauMem;
        TauExc = tauExc;
        TauInh = tauInh;
        Theta = theta;
        Spike = spike ?? new SpikeOptions(DetachReset: true);
    }

    /// <summary>Time step dt &gt; 0 (s).</summary>
    public double Dt { get; init => field = Validate.Positive(value, "dt"); }
    /// <summary>Membrane time constant (s).</summary>
    public double TauMem { get; init => field = Validate.Positive(value, "tau_mem"); }
    /// <summary>Excitatory synaptic time constant (s).</summary>
    public double TauExc { get; init => field = Validate.Positive(value, "tau_exc"); }
    /// <summary>Inhibitory synaptic time constant (s).</summary>
    public double TauInh { get; init => field = Validate.Positive(value, "tau_inh"); }
    /// <summary>Threshold θ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }
    /// <summary>Spike condition and gradient options.</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <inheritdoc />
    public CubaExcInhParameters WithSpike(SpikeOptions spike) => this with { Spike = spike };
}
