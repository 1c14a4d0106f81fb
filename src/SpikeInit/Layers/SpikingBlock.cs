using SpikeInit.Neurons;
using TorchSharp.Modules;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// A connection (weights) followed by a population of neurons. Subclasses define the connection
/// (<see cref="Connect"/>) and optionally a recurrent current from the previous step's spikes (<see cref="EffectiveRecurrentWeight"/>).
/// </summary>
public abstract class SpikingBlock : Block
{
    private Neuron neuron;
    private Parameter? leakLogit;
    private Parameter? threshold;

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
        if (replacement.LearnsLeakAndThreshold != neuron.LearnsLeakAndThreshold)
            throw new ArgumentException($"block {GetName()}: the replacement neurons must learn their leak and threshold exactly when the block's do", nameof(replacement));
        neuron = replacement;
    }

    /// <summary>
    /// When the neurons learn their leak and threshold (<see cref="Neuron.LearnsLeakAndThreshold"/>), creates the block's
    /// parameters <c>leak_logit</c> (λ, α = sigmoid(λ)) and <c>threshold</c> (ϑ), one per neuron of a
    /// <c>[units]</c> layer, at the model's α and ϑ; the optimizers train them and the state file saves them. Dense and
    /// recurrent blocks call it after registering their weights; a block that does not leaves such neurons unrunnable.
    /// </summary>
    protected void LearnNeuronParameters(long units, ScalarType dtype)
    {
        if (!neuron.LearnsLeakAndThreshold) return;
        leakLogit = new Parameter(Full([units], LearnedParameters.Logit(neuron.Dynamics.Leak), dtype, CPU));
        threshold = new Parameter(Full([units], neuron.Threshold, dtype, CPU));
        register_parameter("leak_logit", leakLogit);
        register_parameter("threshold", threshold);
    }

    /// <summary>The per-neuron leak logits λ (α = sigmoid(λ)), or null when the neurons do not learn them.</summary>
    public Parameter? LeakLogit => leakLogit;

    /// <summary>The per-neuron thresholds, or null when the neurons do not learn them.</summary>
    public Parameter? Threshold => threshold;

    /// <summary>The neurons with the learned tensors bound (<see cref="Neuron.Learned"/>), or as they are.</summary>
    private Neuron Bound
    {
        get
        {
            if (leakLogit is null || threshold is null)
                return neuron.LearnsLeakAndThreshold
                    ? throw new ArgumentException($"block {GetName()}: learnable per-neuron leak and threshold (learn-neuron) are supported in dense and recurrent layers only")
                    : neuron;
            return neuron with { Learned = new LearnedParameters(leakLogit, threshold) };
        }
    }

    /// <summary>Whether the block passes on spikes or its membrane.</summary>
    public BlockOutput Output { get; }

    /// <summary>The feed-forward current for a batch of per-sample inputs <c>[N, ...]</c>.</summary>
    protected abstract Tensor Connect(Tensor input);

    /// <summary>
    /// For recurrent blocks, the effective recurrent matrix W (<c>[N, N]</c>; the recurrent current is
    /// <c>s_{t−1}·Wᵀ</c>), built once per run; null for feed-forward blocks.
    /// </summary>
    protected virtual Tensor? EffectiveRecurrentWeight() => null;

    /// <inheritdoc />
    public override BlockRun Run(Tensor sequence, bool recordMembrane) => Run(sequence, recordMembrane, null, null);

    /// <summary>
    /// Runs a whole sequence whose membranes start from <paramref name="start"/> drawn with <paramref name="generator"/>
    /// (both null: from rest, as <see cref="Run(Tensor, bool)"/>). The draw has the shape of one step's current.
    /// </summary>
    public BlockRun Run(Tensor sequence, bool recordMembrane, MembraneDistribution? start, Generator? generator)
    {
        Tensor currents = OverTime(sequence, Connect);
        NeuronState? initial = start is null ? null : Start(start, currents.shape[1..], currents, generator);
        bool keep = recordMembrane || Output == BlockOutput.Membrane;
        Neuron bound = Bound;
        var (spikes, membrane) = EffectiveRecurrentWeight() is { } w ? bound.RecurrentSequence(currents, w, keep, initial) : bound.Sequence(currents, keep, null, initial);
        return new BlockRun(Output == BlockOutput.Spikes ? spikes : membrane!, spikes, recordMembrane ? membrane : null);
    }

    /// <inheritdoc />
    public override (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state) => Step(input, state, null, null);

    /// <summary>
    /// One step; at the first step (<paramref name="state"/> null) the membranes start from <paramref name="start"/> drawn
    /// with <paramref name="generator"/> (both null: from rest, as <see cref="Step(Tensor, NeuronState?)"/>) — the same
    /// draw as <see cref="Run(Tensor, bool, MembraneDistribution?, Generator?)"/> makes from the same generator state.
    /// </summary>
    public (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state, MembraneDistribution? start, Generator? generator)
    {
        Tensor current = Connect(input);
        state ??= start is null ? neuron.InitialState(current.shape, current.dtype, current.device) : Start(start, current.shape, current, generator);
        (Tensor spikes, NeuronState next) = Advance(current, state, EffectiveRecurrentWeight());
        return (Output == BlockOutput.Spikes ? spikes : next.Membrane, next);
    }

    private NeuronState Start(MembraneDistribution start, long[] shape, Tensor like, Generator? generator)
    {
        if (generator is null) throw new ArgumentNullException(nameof(generator), "a membrane start needs a generator");
        return Bound.StateWithMembrane(start.Draw(shape, like.dtype, like.device, generator));
    }

    private (Tensor Spikes, NeuronState State) Advance(Tensor current, NeuronState state, Tensor? recurrent) =>
        Bound.Step(recurrent is null ? current : current.Plus(nn.functional.linear(state.Spikes, recurrent)), state);
}
