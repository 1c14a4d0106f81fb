using SpikeInit.Surrogates;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// A model stepped by the <see cref="Lif"/> kernel (<see cref="LifNeuron"/>, <see cref="KLambdaNeuron"/>): everything but
/// its parameters and description follows from the kernel parameters <see cref="Kernel"/> — one semantic core for the
/// discrete LIF family: state, step, the fused multi-step path, the dynamics and the geometric PSP kernel g·β^t.
/// </summary>
/// <typeparam name="TParameters">The model's own parameter record.</typeparam>
public abstract record LifKernelNeuron<TParameters> : Neuron<TParameters> where TParameters : class, INeuronParameters<TParameters>
{
    /// <summary>Sets parameters and surrogate.</summary>
    protected LifKernelNeuron(TParameters parameters, Surrogate surrogate) : base(parameters, surrogate) { }

    /// <summary>The <see cref="Lif.Step"/> parameters this model steps with.</summary>
    public abstract LifParameters Kernel { get; }

    /// <inheritdoc />
    public override NeuronDynamics Dynamics => new(Kernel.Gain, Kernel.Beta, null, Kernel.Reset, SynapticCurrent: false);

    /// <summary>The geometric kernel g·β^t of <see cref="Lif.Step"/> in closed form (exact in both modes), in steps.</summary>
    public override KernelIntegrals KernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical) =>
        FluctuationTheory.GeometricEpsilon(Kernel.Beta, Kernel.Gain);

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) => Lif.Initial(shape, dtype, device);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) =>
        Lif.Step(current, Expect<LifState>(state), Kernel, Surrogate, learned: Learned);

    /// <inheritdoc />
    public override bool LearnsLeakAndThreshold => Kernel.Learn;

    /// <inheritdoc />
    public override bool MapsFiringMembrane => true;

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) StepFiringOn(Tensor current, NeuronState state, Func<Tensor, Tensor> firing)
    {
        ArgumentNullException.ThrowIfNull(firing);
        return Lif.Step(current, Expect<LifState>(state), Kernel, Surrogate, firing, Learned);
    }

    /// <summary>The membrane with the spikes it fires under the model's spike condition (<see cref="Lif"/>'s forward step).</summary>
    public override NeuronState StateWithMembrane(Tensor membrane)
    {
        ArgumentNullException.ThrowIfNull(membrane);
        LifParameters kernel = Kernel;
        Tensor fired = Learned is { } learned
            ? (kernel.Spike.Condition == SpikeCondition.GreaterOrEqual ? membrane.ge(learned.Threshold) : membrane.gt(learned.Threshold))
            : kernel.Spike.Condition == SpikeCondition.GreaterOrEqual ? membrane.AtLeast(kernel.Theta) : membrane.GreaterThan(kernel.Theta);
        return new LifState(membrane, fired.to(membrane.dtype));
    }

    /// <summary>
    /// The fused <see cref="LifSequence"/> when it applies (no recurrence, supported tensors, starting from rest, no learned
    /// per-neuron leak and threshold: the fused backward returns ∂L/∂I only), else the step loop (which also serves a
    /// sequence that starts from a given state).
    /// </summary>
    public override (Tensor Spikes, Tensor? Membrane) Sequence(Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null,
                                                               NeuronState? initial = null)
    {
        LifParameters kernel = Kernel;
        return FastPath && Learned is null && recurrence is null && initial is null && LifSequence.Supports(currents, kernel)
            ? LifSequence.Run(currents, kernel, Surrogate, membrane, TimeChunk)
            : Steps(this, currents, membrane, recurrence, initial);
    }

    /// <summary>The fused <see cref="RecurrentLifSequence"/> when it applies (supported tensors, from rest, nothing learned per neuron), else the step loop.</summary>
    public override (Tensor Spikes, Tensor? Membrane) RecurrentSequence(Tensor currents, Tensor recurrentWeight, bool membrane, NeuronState? initial = null)
    {
        LifParameters kernel = Kernel;
        return FastPath && Learned is null && initial is null && RecurrentLifSequence.Supports(currents, recurrentWeight, kernel)
            ? RecurrentLifSequence.Run(currents, recurrentWeight, kernel, Surrogate, membrane, TimeChunk)
            : base.RecurrentSequence(currents, recurrentWeight, membrane, initial);
    }
}
