using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// A connection (weights) followed by a population of neurons. Subclasses define the connection
/// (<see cref="Connect"/>) and optionally a recurrent current from the previous step's spikes (<see cref="Recurrence"/>).
/// </summary>
public abstract class SpikingBlock : Block
{
    private Neuron neuron;

    /// <summary>Creates the block.</summary>
    protected SpikingBlock(string name, Neuron neuron, BlockOutput output) : base(name)
    {
        this.neuron = neuron ?? throw new ArgumentNullException(nameof(neuron));
        Output = output;
    }

    /// <inheritdoc />
    public override Neuron Neuron => neuron;

    /// <summary>Refuses neurons that take several currents (see <see cref="Neuron.CurrentsPerNeuron"/>) where a block feeds one.</summary>
    protected static void RequireOneCurrent(Neuron neuron, string block)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        if (neuron.CurrentsPerNeuron != 1)
            throw new ArgumentException($"{block} feeds one current per neuron; {neuron.Name} neurons take {neuron.CurrentsPerNeuron} (use a dense or conv layer)");
    }

    /// <summary>
    /// Replaces the block's neurons by <paramref name="replacement"/>, a value of the same model (e.g. the same neuron
    /// with another surrogate); the weights are untouched. Only the network that holds the block calls it, together with
    /// its specification, so that the specification always describes the blocks.
    /// </summary>
    internal void Replace(Neuron replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (replacement.GetType() != neuron.GetType())
            throw new ArgumentException($"block {GetName()} holds {neuron.Name} neurons and cannot take {replacement.Name} neurons", nameof(replacement));
        neuron = replacement;
    }

    /// <summary>Whether the block passes on spikes or its membrane.</summary>
    public BlockOutput Output { get; }

    /// <summary>The feed-forward current for a batch of per-sample inputs <c>[N, ...]</c>.</summary>
    protected abstract Tensor Connect(Tensor input);

    /// <summary>
    /// For recurrent blocks, the map from the previous step's spikes to the recurrent current (built once per run);
    /// null for feed-forward blocks.
    /// </summary>
    protected virtual Func<Tensor, Tensor>? Recurrence() => null;

    /// <inheritdoc />
    public override BlockRun Run(Tensor sequence, bool recordMembrane)
    {
        Tensor currents = OverTime(sequence, Connect);
        var (spikes, membrane) = neuron.Sequence(currents, recordMembrane || Output == BlockOutput.Membrane, Recurrence());
        return new BlockRun(Output == BlockOutput.Spikes ? spikes : membrane!, spikes, recordMembrane ? membrane : null);
    }

    /// <inheritdoc />
    public override (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state)
    {
        Tensor current = Connect(input);
        state ??= neuron.InitialState(current.shape, current.dtype, current.device);
        (Tensor spikes, NeuronState next) = Advance(current, state, Recurrence());
        return (Output == BlockOutput.Spikes ? spikes : next.Membrane, next);
    }

    private (Tensor Spikes, NeuronState State) Advance(Tensor current, NeuronState state, Func<Tensor, Tensor>? recurrence) =>
        neuron.Step(recurrence is null ? current : current.Plus(recurrence(state.Spikes)), state);
}
