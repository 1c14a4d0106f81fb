using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>Parameters of the current-based LIF neuron as stork discretizes it. Times in seconds.</summary>
public sealed record CubaLifParameters : INeuronParameters<CubaLifParameters>
{
    /// <summary>Creates the parameters (defaults: dt = 2 ms, τ_mem = 20 ms, τ_syn = 10 ms, θ = 1, reset to zero, reset detached).</summary>
    public CubaLifParameters(double dt = 2e-3, double tauMem = 20e-3, double tauSyn = 10e-3, double theta = 1.0,
                             bool reset = true, SpikeOptions? spike = null, double initialMembrane = 0.0)
    {
        Dt = dt;
        TauMem = tauMem;
        TauSyn = tauSyn;
        Theta = theta;
        Reset = reset;
        Spike = spike ?? new SpikeOptions(DetachReset: true);
        InitialMembrane = initialMembrane;
    }

    /// <summary>Time step dt &gt; 0 (s).</summary>
    public double Dt { get; init => field = Validate.Positive(value, "dt"); }

    /// <summary>Membrane time constant τ_mem &gt; 0 (s).</summary>
    public double TauMem { get; init => field = Validate.Positive(value, "tau_mem"); }

    /// <summary>Synaptic time constant τ_syn &gt; 0 (s).</summary>
    public double TauSyn { get; init => field = Validate.Positive(value, "tau_syn"); }

    /// <summary>Threshold θ &gt; 0 (stork hard-codes 1).</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }

    /// <summary>Reset to zero after a spike (false: a non-spiking leaky readout, stork's <c>ReadoutGroup</c>).</summary>
    public bool Reset { get; init; }

    /// <summary>Spike condition and gradient options (stork: strict, reset detached).</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <summary>U[0] (stork's readout uses −1e-3 or −1e-2; 0 for hidden neurons).</summary>
    public double InitialMembrane { get; init => field = Validate.Finite(value, "initial_membrane"); }

    /// <summary>λ_m = exp(−dt/τ_mem).</summary>
    public double MembraneDecay => Math.Exp(-Dt / TauMem);

    /// <summary>λ_s = exp(−dt/τ_syn).</summary>
    public double SynapseDecay => Math.Exp(-Dt / TauSyn);

    /// <inheritdoc />
    public CubaLifParameters WithSpike(SpikeOptions spike) => this with { Spike = spike };
}
