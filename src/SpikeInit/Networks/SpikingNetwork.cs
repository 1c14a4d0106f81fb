using SpikeInit.Layers;
using SpikeInit.Neurons;
using SpikeInit.Runtime;
using SpikeInit.Surrogates;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>
/// A spiking network built from a <see cref="NetworkSpec"/>: a sequence of blocks and a readout. It holds weights only;
/// all membrane state lives in the values that <see cref="Run"/> and <see cref="Step"/> pass around, so nothing needs
/// resetting between batches. Training lives elsewhere (the network knows nothing of optimizers).
/// </summary>
public sealed class SpikingNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Block> layers;
    private readonly List<(int Index, long Features)> skipSources = [];

    private SpikingNetwork(NetworkSpec spec, ScalarType dtype, Generator? generator) : base("SpikingNetwork")
    {
        Spec = spec;
        var blocks = new List<Block>();
        long[] shape = spec.InputShape;
        int last = spec.Layers.Count - 1;
        long skipFeatures = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (i == last && spec.SkipReadout) shape = SkipInput(spec, blocks, skipFeatures);
            Block block = spec.Layers[i].Build(i.ToString(System.Globalization.CultureInfo.InvariantCulture), shape, dtype, generator);
            shape = block.OutputShape(shape);
            if (i < last && IsHidden(block))
            {
                long features = shape.Aggregate(1L, (a, b) => a * b);
                skipFeatures += features;
                if (spec.SkipReadout) skipSources.Add((i, features));
            }
            blocks.Add(block);
        }
        OutputShape = shape;
        layers = nn.ModuleList(blocks.ToArray());
        RegisterComponents();
        if (spec.InitialMembrane is { } start) CheckInitialMembrane(start);
    }

    /// <summary>The architecture, with the neurons (and surrogates) the blocks hold now.</summary>
    public NetworkSpec Spec { get; private set; }

    /// <summary>Per-sample shape of the last block's output.</summary>
    public long[] OutputShape { get; }

    /// <summary>The blocks in order.</summary>
    public IReadOnlyList<Block> Blocks => [.. layers];

    /// <summary>
    /// Builds the network with PyTorch-default initial weights (U(±1/√fan_in)) drawn from <paramref name="generator"/>
    /// (seed it for reproducibility; null uses libtorch's default generator).
    /// </summary>
    public static SpikingNetwork Create(NetworkSpec spec, Generator? generator = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Layers.Count == 0) throw new ArgumentException("a network needs at least one layer", nameof(spec));
        NetworkSize.Require(spec, 0, 0, "the network");
        return new SpikingNetwork(spec, dtype, generator);
    }

    /// <summary>
    /// Gives the neurons of block <paramref name="layer"/> the surrogate <paramref name="surrogate"/> (the same model and
    /// parameters otherwise; weights untouched). The block and <see cref="Spec"/> change together, so the running network,
    /// its specification and a saved <c>model.json</c> all carry the new surrogate.
    /// </summary>
    /// <exception cref="ArgumentException">The index is outside the network, or the block has no neurons (pooling, flatten).</exception>
    public void UseSurrogate(int layer, Surrogate surrogate)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        if (layer < 0 || layer >= layers.Count)
            throw new ArgumentException($"layer = {layer} is outside [0, {layers.Count - 1}]", nameof(layer));
        if (layers[layer] is not SpikingBlock block)
            throw new ArgumentException($"layer {layer} ({layers[layer].GetType().Name}) has no neurons, so no surrogate", nameof(layer));
        Neuron neuron = block.Neuron with { Surrogate = surrogate };
        LayerSpec updated = Spec.Layers[layer].WithNeuron(neuron);
        block.Replace(neuron);
        Spec = Spec with { Layers = [.. Spec.Layers.Select((l, i) => i == layer ? updated : l)] };
    }

    /// <summary>
    /// Sets every spiking block's <see cref="Neuron.TimeChunk"/> (checkpointing of the time recurrence for backward: 0 off,
    /// <see cref="SequenceCheckpoint.Sqrt"/>, or steps); a run setting that changes memory, not results, and is not saved.
    /// </summary>
    public void UseTimeChunk(int chunk)
    {
        Validate.AtLeast(chunk, "time_chunk", SequenceCheckpoint.Sqrt);
        for (int i = 0; i < layers.Count; i++)
            if (layers[i] is SpikingBlock block && block.Neuron.TimeChunk != chunk)
            {
                Neuron neuron = block.Neuron with { TimeChunk = chunk };
                block.Replace(neuron);
                LayerSpec updated = Spec.Layers[i].WithNeuron(neuron);
                Spec = Spec with { Layers = [.. Spec.Layers.Select((l, k) => k == i ? updated : l)] };
            }
    }

    /// <summary>
    /// Re-applies every block's weight constraints in place (<see cref="SpikingBlock.Constrain"/>: the non-negative weight
    /// magnitudes of E/I blocks, Dale's law); a trainer calls it after each optimizer step.
    /// </summary>
    public void Constrain()
    {
        foreach (Block block in layers)
            if (block is SpikingBlock spiking) spiking.Constrain();
    }

    /// <summary>
    /// Makes the blocks start each run from <paramref name="initialMembrane"/> (null: from rest); <see cref="Spec"/> carries
    /// it, so a saved <c>model.json</c> does too.
    /// </summary>
    /// <exception cref="ArgumentException">The entries do not match the blocks, or a block's neurons cannot start from a
    /// given membrane.</exception>
    public void UseInitialMembrane(InitialMembrane? initialMembrane)
    {
        if (initialMembrane is not null) CheckInitialMembrane(initialMembrane);
        Spec = Spec with { InitialMembrane = initialMembrane };
    }

    /// <summary>
    /// Runs the network. <paramref name="input"/> is either a sequence <c>[T, B, ...]</c> or a static input <c>[B, ...]</c>
    /// presented as a constant current for <paramref name="steps"/> steps. With a <see cref="NetworkSpec.InitialMembrane"/>
    /// the start membranes are drawn from <paramref name="membraneGenerator"/>, or, when it is null, from a new generator
    /// seeded with <see cref="InitialMembrane.Seed"/> (the same draw every run).
    /// </summary>
    public NetworkRun Run(Tensor input, int? steps = null, Recording record = Recording.None, Generator? membraneGenerator = null)
    {
        Tensor sequence = AsSequence(input, steps);
        var records = new List<LayerRecord>();
        InitialMembrane? start = Spec.InitialMembrane is { Any: true } m ? m : null;
        using Generator? own = start is not null && membraneGenerator is null ? new Generator((ulong)start.Seed) : null;
        Generator? generator = membraneGenerator ?? own;
        var skips = new List<Tensor>();
        for (int i = 0; i < layers.Count; i++)
        {
            Block block = layers[i];
            if (i == layers.Count - 1 && Spec.SkipReadout) sequence = cat([.. skips], 2);
            bool membranes = record.HasFlag(Recording.Membranes);
            BlockRun run = start?.Layers[i] is { } distribution && block is SpikingBlock spiking
                ? spiking.Run(sequence, membranes, distribution, generator)
                : block.Run(sequence, membranes);
            if (record != Recording.None && block.Neuron is { } neuron)
                records.Add(new LayerRecord(i, block.GetName(), neuron, record.HasFlag(Recording.Spikes) ? run.Spikes : null, run.Membrane));
            sequence = run.Output;
            if (Spec.SkipReadout && i < layers.Count - 1 && IsHidden(block)) skips.Add(sequence.flatten(2));
        }
        return new NetworkRun(Reduce(sequence, Spec.Readout), sequence, records);
    }

    /// <summary>
    /// The device the network's parameters (else buffers) live on: where <see cref="Run"/> and <see cref="Step"/> compute,
    /// and where they move an input that comes from elsewhere (data batches are made on the CPU). A network without
    /// tensors is on the CPU.
    /// </summary>
    public Device Device => (parameters().FirstOrDefault() ?? buffers().FirstOrDefault())?.device ?? CPU;

    /// <summary>Moves the network to <paramref name="device"/> (resolved: CUDA that this process lacks is an error naming <c>--device</c>).</summary>
    public SpikingNetwork MoveTo(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device target = device.Resolve();
        if (!OnDevice(Device, target)) TorchSharp.ModuleExtensionMethods.to(this, target);
        return this;
    }

    /// <summary><paramref name="input"/> on the network's device (the same tensor when it is there already).</summary>
    private Tensor OnNetworkDevice(Tensor input)
    {
        Device device = Device;
        return OnDevice(input.device, device) ? input : input.to(device);
    }

    private static bool OnDevice(Device a, Device b) => a.type == b.type && (a.type == TorchSharp.DeviceType.CPU || a.index == b.index);

    /// <summary>The readout of <see cref="Run"/> for a sequence input <c>[T, B, ...]</c>.</summary>
    public override Tensor forward(Tensor input) => Run(input).Output;

    /// <summary>
    /// One time step for all blocks (time-major evaluation; same kernels as <see cref="Run"/>). Pass the returned state
    /// back in for the next step; null starts from the initial state: rest, or the <see cref="NetworkSpec.InitialMembrane"/>
    /// drawn as <see cref="Run"/> draws it (from <paramref name="membraneGenerator"/>, else seeded). Returns the last block's
    /// output at this step.
    /// </summary>
    public (Tensor Output, NetworkState State) Step(Tensor input, NetworkState? state = null, Generator? membraneGenerator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckShape(input, 1);
        if (state is not null && state.Blocks.Count != layers.Count)
            throw new ArgumentException($"state has {state.Blocks.Count} blocks, the network {layers.Count}", nameof(state));
        var next = new NeuronState?[layers.Count];
        Tensor x = OnNetworkDevice(input);
        InitialMembrane? start = state is null && Spec.InitialMembrane is { Any: true } m ? m : null;
        using Generator? own = start is not null && membraneGenerator is null ? new Generator((ulong)start.Seed) : null;
        Generator? generator = membraneGenerator ?? own;
        var skips = new List<Tensor>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (i == layers.Count - 1 && Spec.SkipReadout) x = cat([.. skips], 1);
            (x, next[i]) = start?.Layers[i] is { } distribution && layers[i] is SpikingBlock spiking
                ? spiking.Step(x, null, distribution, generator)
                : layers[i].Step(x, state?.Blocks[i]);
            if (Spec.SkipReadout && i < layers.Count - 1 && IsHidden(layers[i])) skips.Add(x.flatten(1));
        }
        return (x, new NetworkState(next));
    }

    /// <summary>Whether a block is a hidden layer that feeds a skip readout: one with a connection (not the encoder, pooling or flatten).</summary>
    internal static bool IsHidden(Block block) => block is SpikingBlock and not EncoderBlock;

    /// <summary>The blocks whose outputs a skip readout receives, in order, with their per-sample sizes (empty without <see cref="NetworkSpec.SkipReadout"/>).</summary>
    public IReadOnlyList<(int Index, long Features)> SkipSources => skipSources;

    private static long[] SkipInput(NetworkSpec spec, List<Block> hidden, long features)
    {
        if (spec.Layers[^1] is not DenseLayer)
            throw new ArgumentException($"skip_readout needs a dense last layer (the readout), not {spec.Layers[^1].GetType().Name}");
        if (features == 0 || !hidden.Any(IsHidden))
            throw new ArgumentException("skip_readout needs at least one hidden dense, conv2d or recurrent layer before the readout");
        return [features];
    }

    private void CheckInitialMembrane(InitialMembrane initialMembrane)
    {
        if (initialMembrane.Layers.Count != layers.Count)
            throw new ArgumentException($"initial_membrane has {initialMembrane.Layers.Count} entries, the network {layers.Count} blocks", nameof(initialMembrane));
        for (int i = 0; i < layers.Count; i++)
        {
            if (initialMembrane.Layers[i] is null) continue;
            if (layers[i] is not SpikingBlock block)
                throw new ArgumentException($"initial_membrane: layer {i} ({layers[i].GetType().Name}) has no neurons, so no membrane to start from", nameof(initialMembrane));
            using var scope = NewDisposeScope();
            try
            {
                block.Neuron.StateWithMembrane(zeros(1));   // refuses models that cannot start from a membrane
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"initial_membrane: layer {i}: {e.Message}", nameof(initialMembrane), e);
            }
        }
    }

    /// <summary>Applies a readout to an output sequence <c>[T, B, ...]</c>.</summary>
    public static Tensor Reduce(Tensor sequence, Readout readout)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return readout switch
        {
            Readout.SpikeCount => sequence.sum(dim: 0),
            Readout.MaxOverTime => sequence.max(0).values,
            Readout.MeanOverTime => sequence.mean([0]),
            Readout.LastStep => sequence[-1],
            _ => sequence,
        };
    }

    /// <summary>The input as <see cref="Run"/> feeds it to the first block: a sequence <c>[T, B, ...]</c> (checked), or a static input repeated for <paramref name="steps"/> steps.</summary>
    internal Tensor AsSequence(Tensor input, int? steps)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rank = Spec.InputShape.Length;
        if (input.dim() == rank + 2)
        {
            if (steps is not null && steps != input.shape[0])
                throw new ArgumentException($"steps = {steps} but the input sequence has {input.shape[0]} steps", nameof(steps));
            CheckShape(input, 2);
            return OnNetworkDevice(input);
        }
        if (input.dim() != rank + 1)
            throw new ArgumentException($"input has shape [{string.Join(", ", input.shape)}]; expected [B, {string.Join(", ", Spec.InputShape)}] (static) or [T, B, {string.Join(", ", Spec.InputShape)}] (sequence)", nameof(input));
        if (steps is null) throw new ArgumentException("a static input [B, ...] needs the number of steps", nameof(steps));
        Validate.AtLeast(steps.Value, "steps", 1);
        CheckShape(input, 1);
        long[] shape = [steps.Value, .. input.shape];
        return OnNetworkDevice(input).unsqueeze(0).expand(shape);
    }

    private void CheckShape(Tensor input, int leading)
    {
        long[] sample = input.shape[leading..];
        if (!sample.SequenceEqual(Spec.InputShape))
            throw new ArgumentException($"input sample shape [{string.Join(", ", sample)}] does not match the network's [{string.Join(", ", Spec.InputShape)}]", nameof(input));
    }
}
