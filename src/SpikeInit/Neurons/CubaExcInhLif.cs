using SpikeInit.Surrogates;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>State of <see cref="CubaExcInhLif"/>: U[t], the two currents, the two input buffers, last spikes.</summary>
public sealed record CubaExcInhState(Tensor U, Tensor Ie, Tensor Ii, Tensor Xe, Tensor Xi, Tensor S) : NeuronState
{
    /// <inheritdoc />
    public override Tensor Membrane => U;
    /// <inheritdoc />
    public override Tensor Spikes => S;
}

/// <summary>
/// stork's excitatory/inhibitory current-based LIF (docs/THEORY.md §F2.3); inhibitory input arrives with
/// non-negative weights and enters with a minus sign:
/// <code>
/// S[t]    = H(U[t] − θ)
/// Ie[t+1] = λ_e·Ie[t] + Xe[t],   Ii[t+1] = λ_i·Ii[t] + Xi[t]
/// U[t+1]  = (λ_m·U[t] + (1 − λ_m)(Ie[t] − Ii[t]))·(1 − S[t])
/// </code>
/// </summary>
public static class CubaExcInhLif
{
    /// <summary>The all-zero state.</summary>
    public static CubaExcInhState Initial(long[] shape, ScalarType dtype, Device device)
    {
        Tensor Z() => zeros(shape, dtype, device);
        return new CubaExcInhState(Z(), Z(), Z(), Z(), Z(), Z());
    }

    /// <summary>One step with excitatory input <paramref name="excitatory"/> and inhibitory input <paramref name="inhibitory"/> (both ≥ 0 weights times spikes).</summary>
    public static (Tensor Spikes, CubaExcInhState State) Step(Tensor excitatory, Tensor inhibitory, CubaExcInhState state,
                                                             CubaExcInhParameters p, Surrogate surrogate)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(surrogate);
        double lm = Math.Exp(-p.Dt / p.TauMem), le = Math.Exp(-p.Dt / p.TauExc), li = Math.Exp(-p.Dt / p.TauInh);
        Tensor spikes = surrogate.Spike(state.U.Minus(p.Theta), p.Spike);
        Tensor ie = state.Ie.Times(le).Plus(state.Xe);
        Tensor ii = state.Ii.Times(li).Plus(state.Xi);
        Tensor keep = OneMinus(p.Spike.DetachReset ? spikes.detach() : spikes);
        Tensor u = state.U.Times(lm).Plus(state.Ie.Minus(state.Ii).Times(1 - lm)) * keep;
        return (spikes, new CubaExcInhState(u, ie, ii, excitatory, inhibitory, spikes));
    }
}
