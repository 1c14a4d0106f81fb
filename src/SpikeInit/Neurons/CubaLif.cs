using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>Parameters of the current-based LIF neuron as stork discretizes it. Times in seconds.</summary>
public sealed record CubaLifParameters
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
}

/// <summary>
/// State of <see cref="CubaLif"/> at the start of step t: membrane <c>U</c> = U[t], current <c>I</c> = I[t],
/// input buffer <c>X</c> = X[t] (weighted presynaptic spikes of step t − 1), and <c>S</c> = spikes of step t − 1.
/// The recorded membrane is stork's <c>mem[t] = U[t+1]</c>, i.e. <c>U</c> of the returned state.
/// </summary>
public sealed record CubaLifState(Tensor U, Tensor I, Tensor X, Tensor S) : NeuronState
{
    /// <inheritdoc />
    public override Tensor Membrane => U;
    /// <inheritdoc />
    public override Tensor Spikes => S;
}

/// <summary>
/// Current-based LIF with exponential synaptic current, exactly as stork's <c>LIFGroup</c> steps it
/// (Rossbroich, Gygax &amp; Zenke; spec fluctuation_driven.md §2.2):
/// <code>
/// S[t]   = H(U[t] − θ)                                  spike read from the old membrane
/// I[t+1] = λ_s·I[t] + X[t]
/// U[t+1] = (λ_m·U[t] + (1 − λ_m)·I[t])·(1 − S[t])         multiplicative reset to 0 (detached by default)
/// X[t+1] = W·S_pre[t]                                     the current passed to this step
/// </code>
/// A presynaptic spike of step t₀ changes I at t₀ + 2 and U from t₀ + 3 on, as in stork.
/// </summary>
public static class CubaLif
{
    /// <summary>The initial state (U = U₀, everything else zero).</summary>
    public static CubaLifState Initial(long[] shape, ScalarType dtype, Device device, double initialMembrane = 0.0)
    {
        using TorchSharp.Scalar u0 = initialMembrane;   // kept alive across the native call (see Sc)
        return new(full(shape, u0, dtype, device), zeros(shape, dtype, device), zeros(shape, dtype, device), zeros(shape, dtype, device));
    }

    /// <summary>One step; <paramref name="input"/> is W·S_pre of this step and enters the buffer.</summary>
    public static (Tensor Spikes, CubaLifState State) Step(Tensor input, CubaLifState state, CubaLifParameters p, Surrogate surrogate)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(surrogate);
        double lm = p.MembraneDecay, ls = p.SynapseDecay;
        Tensor spikes = p.Reset ? surrogate.Spike(Sc.Sub(state.U, p.Theta), p.Spike) : zeros_like(state.U);
        Tensor i = Sc.Plus(Sc.Mul(state.I, ls), state.X);
        Tensor u = Sc.Plus(Sc.Mul(state.U, lm), Sc.Mul(state.I, 1 - lm));
        if (p.Reset) u = u * Sc.RSub(1, p.Spike.DetachReset ? spikes.detach() : spikes);
        return (spikes, new CubaLifState(u, i, input, spikes));
    }
}

/// <summary>
/// stork's current-based LIF neuron model (<see cref="CubaLif.Step"/>). Default surrogate: SuperSpike β = 20
/// (stork's form, no extra factor β).
/// </summary>
public sealed record CubaLifNeuron : Neuron<CubaLifParameters>
{
    /// <summary>Creates the model.</summary>
    public CubaLifNeuron(CubaLifParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new CubaLifParameters(), surrogate ?? new SuperSpike()) { }

    /// <inheritdoc />
    public override double Threshold => Parameters.Theta;

    /// <inheritdoc />
    public override string Description =>
        $"CUBA-LIF(dt={Validate.Format(Parameters.Dt)}s, tau_mem={Validate.Format(Parameters.TauMem)}s, tau_syn={Validate.Format(Parameters.TauSyn)}s, theta={Validate.Format(Parameters.Theta)}{(Parameters.Reset ? "" : ", no reset")}, {Surrogate.Name})";

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) =>
        CubaLif.Initial(shape, dtype, device, Parameters.InitialMembrane);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) =>
        CubaLif.Step(current, Expect<CubaLifState>(state), Parameters, Surrogate);
}
