using SpikeInit.Surrogates;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

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
    public override SpikeOptions Spike => Parameters.Spike;

    /// <inheritdoc />
    public override NeuronDynamics Dynamics => new(Parameters.Gain, Parameters.Beta, null, Parameters.Reset, SynapticCurrent: false);

    /// <inheritdoc />
    public override Neuron WithSpike(SpikeOptions spike) => this with { Parameters = Parameters with { Spike = spike } };

    /// <summary>The geometric kernel g·β^t of <see cref="Lif.Step"/> in closed form (exact in both modes), in steps.</summary>
    public override KernelIntegrals KernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical) =>
        FluctuationTheory.GeometricEpsilon(Parameters.Beta, Parameters.Gain);

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
