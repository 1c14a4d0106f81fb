using SpikeInit.Surrogates;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

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
/// (Rossbroich, Gygax &amp; Zenke; docs/THEORY.md §F2.2):
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
        return new(Full(shape, initialMembrane, dtype, device), zeros(shape, dtype, device), zeros(shape, dtype, device), zeros(shape, dtype, device));
    }

    /// <summary>One step; <paramref name="input"/> is W·S_pre of this step and enters the buffer.</summary>
    public static (Tensor Spikes, CubaLifState State) Step(Tensor input, CubaLifState state, CubaLifParameters p, Surrogate surrogate)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(surrogate);
        double lm = p.MembraneDecay, ls = p.SynapseDecay;
        Tensor spikes = p.Reset ? surrogate.Spike(state.U.Minus(p.Theta), p.Spike) : zeros_like(state.U);
        Tensor i = state.I.Times(ls).Plus(state.X);
        Tensor u = state.U.Times(lm).Plus(state.I.Times(1 - lm));
        if (p.Reset) u = u * OneMinus(p.Spike.DetachReset ? spikes.detach() : spikes);
        return (spikes, new CubaLifState(u, i, input, spikes));
    }
}
