using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// Where and how the reset enters the LIF update (<see cref="Lif.Step"/>); s = spike of the previous step.
/// </summary>
public enum LifReset
{
    /// <summary>
    /// <c>u_t = β u_{t−1} + I_t − θ s_{t−1}</c>: soft reset applied at the next step, not decayed. Micheli et al. Eq. 13
    /// (literal order), snnTorch <c>Leaky(reset_mechanism="subtract")</c>, Herranz-Celotti's minus-reset. Default.
    /// </summary>
    SubtractNextStep,
    /// <summary>
    /// <c>u_t = β (u_{t−1} − θ s_{t−1}) + I_t</c>: soft reset applied right after the spike, then decayed
    /// (SpikingJelly's order; the bench neuron of WORKLOADS.md).
    /// </summary>
    SubtractBeforeDecay,
    /// <summary>
    /// <c>u_t = β u_{t−1} (1 − s_{t−1}) + I_t</c>: hard reset to zero before the new input. Herranz-Celotti's pre-reset;
    /// Ding et al.'s k/λ family (with β = k and gain λ).
    /// </summary>
    ZeroBeforeDecay,
    /// <summary>
    /// <c>u_t = (β u_{t−1} + I_t)(1 − s_{t−1})</c>: the membrane is clamped to zero for one step after a spike
    /// (Herranz-Celotti's post-reset, a one-step refractory period).
    /// </summary>
    ZeroAfterInput,
    /// <summary><c>u_t = β u_{t−1} + I_t</c>: no reset (leaky integrator, e.g. a readout).</summary>
    None,
}

/// <summary>Parameters of the discrete LIF neuron of <see cref="Lif.Step"/>; validated on construction and on <c>with</c>.</summary>
public sealed record LifParameters
{
    /// <summary>Creates LIF parameters. β ∈ [0, 1], θ &gt; 0, gain &gt; 0.</summary>
    public LifParameters(double beta = 0.5, double theta = 1.0, LifReset reset = LifReset.SubtractNextStep,
                         SpikeOptions? spike = null, double gain = 1.0)
    {
        Beta = beta;
        Theta = theta;
        Reset = reset;
        Spike = spike ?? SpikeOptions.Default;
        Gain = gain;
    }

    /// <summary>Leak β = exp(−Δt/τ) ∈ [0, 1] (Herranz-Celotti's α; Ding's k).</summary>
    public double Beta { get; init => field = Validate.InRange(value, "beta", 0, 1); }

    /// <summary>Threshold θ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }

    /// <summary>Reset variant.</summary>
    public LifReset Reset { get; init => field = Validate.Defined(value, "reset"); }

    /// <summary>Spike condition and gradient options.</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <summary>Input gain (Ding's λ); 1 for the plain LIF.</summary>
    public double Gain { get; init => field = Validate.Positive(value, "gain"); }
}

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
/// charge: u_t = β·u_{t−1} + g·I_t, with the reset term of <see cref="LifReset"/> (s_{t−1} detached if requested)
/// fire:   s_t = H(u_t − θ)        (u &gt; θ by default; u ≥ θ as an option)
/// </code>
/// States start at zero (u_{−1} = 0, s_{−1} = 0). Dimensionless: time is counted in steps.
/// </summary>
public static class Lif
{
    /// <summary>The zero state for neurons of the given shape.</summary>
    public static LifState Initial(long[] shape, ScalarType dtype, Device device) =>
        new(zeros(shape, dtype, device), zeros(shape, dtype, device));

    /// <summary>One step of the LIF kernel.</summary>
    public static (Tensor Spikes, LifState State) Step(Tensor current, LifState state, LifParameters p, Surrogate surrogate)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(surrogate);
        Tensor input = p.Gain == 1.0 ? current : Sc.Mul(current, p.Gain);
        Tensor s = p.Spike.DetachReset ? state.S.detach() : state.S;
        Tensor u = p.Reset switch
        {
            LifReset.SubtractNextStep => Sc.Minus(Sc.Plus(Sc.Mul(state.U, p.Beta), input), Sc.Mul(s, p.Theta)),
            LifReset.SubtractBeforeDecay => Sc.Plus(Sc.Mul(Sc.Minus(state.U, Sc.Mul(s, p.Theta)), p.Beta), input),
            LifReset.ZeroBeforeDecay => Sc.Plus(Sc.Mul(state.U * Sc.RSub(1, s), p.Beta), input),
            LifReset.ZeroAfterInput => Sc.Plus(Sc.Mul(state.U, p.Beta), input) * Sc.RSub(1, s),
            _ => Sc.Plus(Sc.Mul(state.U, p.Beta), input),
        };
        Tensor spikes = surrogate.Spike(Sc.Sub(u, p.Theta), p.Spike);
        return (spikes, new LifState(u, spikes));
    }
}

/// <summary>
/// LIF neuron model (<see cref="Lif.Step"/>). Defaults follow Micheli et al.: β = 0.5, θ = 1, soft reset in the order
/// of Eq. 13, <c>u &gt; θ</c>, reset kept in the graph, arctan surrogate with α = 2.
/// </summary>
public sealed record LifNeuron : Neuron<LifParameters>
{
    /// <summary>Creates the model.</summary>
    public LifNeuron(LifParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new LifParameters(), surrogate ?? new ArcTan()) { }

    /// <inheritdoc />
    public override double Threshold => Parameters.Theta;

    /// <inheritdoc />
    public override string Description =>
        $"LIF(beta={Validate.Format(Parameters.Beta)}, theta={Validate.Format(Parameters.Theta)}, reset={Parameters.Reset}, {Surrogate.Name})";

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) => Lif.Initial(shape, dtype, device);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) =>
        Lif.Step(current, Expect<LifState>(state), Parameters, Surrogate);

    /// <inheritdoc />
    public override (Tensor Spikes, Tensor? Membrane) Sequence(Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null) =>
        FastPath && recurrence is null && LifSequence.Supports(currents, Parameters)
            ? LifSequence.Run(currents, Parameters, Surrogate, membrane)
            : Steps(this, currents, membrane, recurrence);
}
