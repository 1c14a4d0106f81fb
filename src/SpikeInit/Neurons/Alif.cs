using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// State of <see cref="Alif"/>: membrane <c>U</c> = v_t (before any reset of this step), spikes <c>S</c> = x_t and the
/// spike trace <c>A</c> = a_t of the adaptive threshold.
/// </summary>
public sealed record AlifState(Tensor U, Tensor S, Tensor A) : NeuronState
{
    /// <inheritdoc />
    public override Tensor Membrane => U;
    /// <inheritdoc />
    public override Tensor Spikes => S;
}

/// <summary>
/// Adaptive LIF neuron (Bellec et al. 2018's ALIF as Herranz-Celotti &amp; Rouat's code steps it, docs/THEORY.md §S10):
/// <code>
/// trace:     a_t = ρ·a_{t−1} + (1 − ρ)·x_{t−1}          ρ = exp(−1/τ_a)
/// threshold: ϑ_t = ϑ + β_a·a_t
/// charge:    v_t = the <see cref="LifReset"/> update with β = α and θ = ϑ_t (minus-reset: α v_{t−1} + I_t − ϑ_t x_{t−1})
/// fire:      x_t = H(v_t − ϑ_t)
/// </code>
/// With a detached reset the whole reset term (x_{t−1} and ϑ_t in it) is a constant for autograd, as the code's
/// <c>stop_gradient(−athr·old_z)</c>; the trace keeps its gradient (through x_{t−1}), and so does ϑ_t in the spike.
/// States start at zero. Dimensionless: time in steps, unit input gain.
/// </summary>
public static class Alif
{
    /// <summary>The zero state for neurons of the given shape.</summary>
    public static AlifState Initial(long[] shape, ScalarType dtype, Device device) =>
        new(zeros(shape, dtype, device), zeros(shape, dtype, device), zeros(shape, dtype, device));

    /// <summary>
    /// One step of the ALIF kernel; with <paramref name="learned"/>, the per-neuron leak and base threshold tensors replace
    /// β and ϑ.
    /// </summary>
    public static (Tensor Spikes, AlifState State) Step(Tensor current, AlifState state, AlifParameters p, Surrogate surrogate,
                                                        LearnedParameters? learned = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(surrogate);
        double rho = p.AdaptationDecay;
        Tensor trace = state.A.Times(rho).Plus(state.S.Times(1 - rho));
        Tensor raise = trace.Times(p.Adaptation);
        Tensor threshold = learned is null ? raise.Plus(p.Theta) : raise.Plus(learned.Threshold);
        Tensor leak = learned is null ? tensor(p.Beta, current.dtype, current.device) : learned.Leak;
        bool detach = p.Spike.DetachReset;
        Tensor u = LifCharge.Charge(p.Reset, state.U, detach ? state.S.detach() : state.S, current, leak, detach ? threshold.detach() : threshold);
        Tensor spikes = surrogate.Spike(u.Minus(threshold), p.Spike);
        return (spikes, new AlifState(u, spikes, trace));
    }
}
