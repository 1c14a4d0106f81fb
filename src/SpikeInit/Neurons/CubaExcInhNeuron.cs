using SpikeInit.Surrogates;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// stork's excitatory/inhibitory current-based LIF as a neuron model (<see cref="CubaExcInhLif.Step"/>). Its per-step
/// current stacks the two pools along dimension 1 (<see cref="CurrentsPerNeuron"/> = 2): for N neurons the current is
/// <c>[B, 2N, …]</c>, the first N channels excitatory, the last N inhibitory (non-negative weights; inhibition is
/// subtracted by the kernel). Spikes and membranes are <c>[B, N, …]</c>. Default surrogate: SuperSpike β = 20.
/// </summary>
public sealed record CubaExcInhNeuron : Neuron<CubaExcInhParameters>
{
    /// <summary>Creates the model.</summary>
    public CubaExcInhNeuron(CubaExcInhParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new CubaExcInhParameters(), surrogate ?? new SuperSpike()) { }

    /// <inheritdoc />
    public override string Description =>
        $"CUBA-LIF E/I(dt={Validate.Format(Parameters.Dt)}s, tau_mem={Validate.Format(Parameters.TauMem)}s, tau_exc={Validate.Format(Parameters.TauExc)}s, tau_inh={Validate.Format(Parameters.TauInh)}s, theta={Validate.Format(Parameters.Theta)}, {Surrogate.Name})";

    /// <inheritdoc />
    public override NeuronDynamics Dynamics =>
        new(1.0, Math.Exp(-Parameters.Dt / Parameters.TauMem), Parameters.Dt, LifReset.ZeroAfterInput, SynapticCurrent: true);

    /// <inheritdoc />
    public override int CurrentsPerNeuron => 2;

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) =>
        CubaExcInhLif.Initial(NeuronShape(shape), dtype, device);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state)
    {
        ArgumentNullException.ThrowIfNull(current);
        NeuronShape(current.shape);
        Tensor[] pools = current.chunk(2, 1);
        var (spikes, next) = CubaExcInhLif.Step(pools[0], pools[1], Expect<CubaExcInhState>(state), Parameters, Surrogate);
        return (spikes, next);
    }

    /// <summary>
    /// The fused <see cref="CubaExcInhSequence"/> when it applies (no recurrence, supported tensors, starting from the initial
    /// state), else the step loop.
    /// </summary>
    public override (Tensor Spikes, Tensor? Membrane) Sequence(Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null,
                                                               NeuronState? initial = null) =>
        FastPath && recurrence is null && initial is null && CubaExcInhSequence.Supports(currents, Parameters)
            ? CubaExcInhSequence.Run(currents, Parameters, Surrogate, membrane, TimeChunk)
            : Steps(this, currents, membrane, recurrence, initial);

    /// <summary>The excitatory pool's kernel integrals (numerical: stork's sampled kernel; analytical: the closed form with τ_exc).</summary>
    public override KernelIntegrals KernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical) => StorkKernel.Integrals(this, Parameters.TauMem, Parameters.TauExc, Parameters.Dt, mode);

    /// <summary>The inhibitory pool's kernel integrals, for a unit inhibitory weight (the pool enters with a minus sign).</summary>
    public KernelIntegrals InhibitoryKernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical) => StorkKernel.Integrals(this, Parameters.TauMem, Parameters.TauInh, Parameters.Dt, mode, channel: 1, sign: -1);

    private static long[] NeuronShape(long[] currentShape)
    {
        if (currentShape.Length < 2 || currentShape[1] % 2 != 0)
            throw new ArgumentException($"an excitatory/inhibitory neuron needs a current [B, 2N, ...] (excitatory then inhibitory channels), got [{string.Join(", ", currentShape)}]");
        long[] shape = [.. currentShape];
        shape[1] /= 2;
        return shape;
    }
}
