using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>State of <see cref="Lif"/>: membrane <c>U</c> = u_t (before any reset of this step) and spikes <c>S</c> = s_t.</summary>
public sealed record LifState(Tensor U, Tensor S) : NeuronState
{
    /// <inheritdoc />
    public override Tensor Membrane => U;
    /// <inheritdoc />
    public override Tensor Spikes => S;
}

/// <summary>
/// Discrete leaky integrate-and-fire neuron, the kernel shared by Micheli et al. (Eq. 13), Ding et al. (Eq. 2, via
/// <see cref="KLambdaNeuron"/>), Herranz-Celotti &amp; Rouat (minus/pre/post reset) and the bench neuron:
/// <code>
/// charge: u_t = β·u_{t−1} + g·I_t, with the reset term of <see cref="LifReset"/> (s_{t−1} detached if requested;
///         each variant's equation is written once, in LifCharge, shared with the fused <see cref="LifSequence"/>)
/// fire:   s_t = H(u_t − θ)        (u &gt; θ by default; u ≥ θ as an option)
/// </code>
/// States start at zero (u_{−1} = 0, s_{−1} = 0). Dimensionless: time is counted in steps.
/// </summary>
public static class Lif
{
    /// <summary>The zero state for neurons of the given shape.</summary>
    public static LifState Initial(long[] shape, ScalarType dtype, Device device) =>
        new(zeros(shape, dtype, device), zeros(shape, dtype, device));

    /// <summary>
    /// One step of the LIF kernel. With <paramref name="firing"/>, the spike function sees firing(u_t) instead of u_t (MPBN);
    /// with <paramref name="learned"/>, the per-neuron leak and threshold tensors replace β and θ (the threshold in the
    /// reset term is a constant for autograd when the reset is detached, as the whole reset term of Herranz-Celotti's code is).
    /// </summary>
    public static (Tensor Spikes, LifState State) Step(Tensor current, LifState state, LifParameters p, Surrogate surrogate,
                                                       Func<Tensor, Tensor>? firing = null, LearnedParameters? learned = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(surrogate);
        Tensor input = p.Gain == 1.0 ? current : current.Times(p.Gain);
        Tensor s = p.Spike.DetachReset ? state.S.detach() : state.S;
        if (learned is not null)
        {
            Tensor theta = learned.Threshold;
            Tensor charged = LifCharge.Charge(p.Reset, state.U, s, input, learned.Leak, p.Spike.DetachReset ? theta.detach() : theta);
            Tensor fired = surrogate.Spike((firing is null ? charged : firing(charged)).Minus(theta), p.Spike);
            return (fired, new LifState(charged, fired));
        }
        Tensor u = LifCharge.Charge(p.Reset, state.U, s, input, p.Beta, p.Theta);
        Tensor spikes = surrogate.Spike((firing is null ? u : firing(u)).Minus(p.Theta), p.Spike);
        return (spikes, new LifState(u, spikes));
    }
}
