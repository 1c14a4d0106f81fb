using SpikeInit.Surrogates;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

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
    public override NeuronDynamics Dynamics =>
        new(1.0, Parameters.MembraneDecay, Parameters.Dt, Parameters.Reset ? LifReset.ZeroAfterInput : LifReset.None, SynapticCurrent: true);

    /// <summary>
    /// stork's sampled PSP kernel (docs/THEORY.md §F3.2) from this model's own <see cref="CubaLif.Step"/>: the response of U to
    /// a unit current that reaches I one step after it enters the input buffer, k[0] = 0, for ⌊10·max(τ_mem, τ_syn)/dt⌋ steps.
    /// </summary>
    public double[] Kernel() =>
        StorkKernel.Sample(this, Math.Max(Parameters.TauMem, Parameters.TauSyn), Parameters.Dt);

    /// <summary>Numerical: <see cref="Kernel"/> integrated with dt (stork's default); analytical: the continuous-time closed form.</summary>
    public override KernelIntegrals KernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical) =>
        StorkKernel.Integrals(this, Parameters.TauMem, Parameters.TauSyn, Parameters.Dt, mode);

    /// <inheritdoc />
    public override string Description =>
        $"CUBA-LIF(dt={Validate.Format(Parameters.Dt)}s, tau_mem={Validate.Format(Parameters.TauMem)}s, tau_syn={Validate.Format(Parameters.TauSyn)}s, theta={Validate.Format(Parameters.Theta)}{(Parameters.Reset ? "" : ", no reset")}, {Surrogate.Name})";

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) =>
        CubaLif.Initial(shape, dtype, device, Parameters.InitialMembrane);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) =>
        CubaLif.Step(current, Expect<CubaLifState>(state), Parameters, Surrogate);

    /// <summary>
    /// The fused <see cref="CubaLifSequence"/> when it applies (no recurrence, supported tensors, starting from the initial
    /// state), else the step loop.
    /// </summary>
    public override (Tensor Spikes, Tensor? Membrane) Sequence(Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null,
                                                               NeuronState? initial = null) =>
        FastPath && recurrence is null && initial is null && CubaLifSequence.Supports(currents, Parameters)
            ? CubaLifSequence.Run(currents, Parameters, Surrogate, membrane, TimeChunk)
            : Steps(this, currents, membrane, recurrence, initial);
}
