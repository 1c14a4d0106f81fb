using SpikeInit.Neurons;
using SpikeInit.Runtime;
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
    private SpikingNorm? norm;
    private FoldedConnection? folded;
    private (Tensor Threshold, Tensor Polarity)? foldedThreshold;
    private bool learned;

    /// <summary>Folded weights and biases, one pair per time step (one for all steps when time-independent; none for MPBN).</summary>
    private sealed record FoldedConnection(IReadOnlyList<Tensor> Weights, IReadOnlyList<Tensor?> Biases);

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
        register_parameter("leak_logit", new Parameter(Full([units], LearnedParameters.Logit(neuron.Dynamics.Leak), dtype, CPU)));
        register_parameter("threshold", new Parameter(Full([units], neuron.Threshold, dtype, CPU)));
        learned = true;                                     // read back by name: Module.to() replaces parameters
    }

    /// <summary>The per-neuron leak logits λ (α = sigmoid(λ)), or null when the neurons do not learn them.</summary>
    public Parameter? LeakLogit => learned ? get_parameter("leak_logit") : null;

    /// <summary>The per-neuron thresholds, or null when the neurons do not learn them.</summary>
    public Parameter? Threshold => learned ? get_parameter("threshold") : null;

    /// <summary>The neurons with the learned tensors bound (<see cref="Neuron.Learned"/>), or as they are.</summary>
    private Neuron Bound
    {
        get
        {
            if (LeakLogit is not { } leakLogit || Threshold is not { } threshold)
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

    /// <summary>
    /// For recurrent blocks whose feedback is not a matrix (e.g. a recurrent convolution), the recurrent current as a map
    /// of the previous step's spikes, built once per run; null otherwise. Used only when <see cref="EffectiveRecurrentWeight"/> is null.
    /// </summary>
    protected virtual Func<Tensor, Tensor>? RecurrentCurrent() => null;

    /// <summary>
    /// The spikes the block passes on, from all its neurons' spikes (default: all of them; an E/I block passes on its
    /// excitatory population only).
    /// </summary>
    protected virtual Tensor Emitted(Tensor spikes) => spikes;

    /// <summary>
    /// Re-applies the block's weight constraints in place after an optimizer step (default: none; an E/I block clamps its
    /// weight magnitudes at 0, Dale's law).
    /// </summary>
    public virtual void Constrain() { }

    /// <inheritdoc />
    public override BlockRun Run(Tensor sequence, bool recordMembrane) => Run(sequence, recordMembrane, null, null);

    /// <summary>
    /// Runs a whole sequence whose membranes start from <paramref name="start"/> drawn with <paramref name="generator"/>
    /// (both null: from rest, as <see cref="Run(Tensor, bool)"/>). The draw has the shape of one step's current.
    /// </summary>
    public BlockRun Run(Tensor sequence, bool recordMembrane, MembraneDistribution? start, Generator? generator)
    {
        Tensor currents = folded is { } f ? FoldedCurrents(sequence, f) : OverTime(sequence, Connect);
        if (norm is { OnMembrane: false } && folded is null) currents = norm.Sequence(currents);
        NeuronState? initial = start is null ? null : Start(start, currents.shape[1..], currents, generator);
        bool keep = recordMembrane || Output == BlockOutput.Membrane;
        Tensor? w = norm is { OnMembrane: true } ? null : EffectiveRecurrentWeight();
        Neuron bound = ForRun(w);
        var (spikes, membrane) = norm is { OnMembrane: true } ? FiringMapped(currents, keep, initial, bound)
            : w is not null ? bound.RecurrentSequence(currents, w, keep, initial) : bound.Sequence(currents, keep, RecurrentCurrent(), initial);
        return new BlockRun(Output == BlockOutput.Spikes ? Emitted(spikes) : membrane!, spikes, recordMembrane ? membrane : null);
    }

    /// <inheritdoc />
    public override (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state) => Step(input, state, null, null);

    /// <summary>
    /// One step; at the first step (<paramref name="state"/> null) the membranes start from <paramref name="start"/> drawn
    /// with <paramref name="generator"/> (both null: from rest, as <see cref="Step(Tensor, NeuronState?)"/>) — the same
    /// draw as <see cref="Run(Tensor, bool, MembraneDistribution?, Generator?)"/> makes from the same generator state.
    /// A block with a <see cref="Normalization"/> returns a <see cref="NormalizedState"/> (it counts the steps).
    /// </summary>
    public (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state, MembraneDistribution? start, Generator? generator)
    {
        int time = state is NormalizedState n ? n.Time : 0;
        NeuronState? inner = state is NormalizedState wrapped ? wrapped.Inner : state;
        Tensor current = folded is { Weights.Count: > 0 } f ? FoldedCurrent(input, f, time) : Connect(input);
        if (norm is { OnMembrane: false } && folded is null) current = norm.Step(current, time);
        inner ??= start is null ? neuron.InitialState(current.shape, current.dtype, current.device) : Start(start, current.shape, current, generator);
        (Tensor spikes, NeuronState next) = norm is { OnMembrane: true }
            ? Bound.StepFiringOn(current, inner, Firing(time))
            : Advance(current, inner, EffectiveRecurrentWeight());
        NeuronState result = norm is null ? next : new NormalizedState(next, time + 1);
        return (Output == BlockOutput.Spikes ? Emitted(spikes) : next.Membrane, result);
    }

    /// <summary>The normalization between the connection and the neurons, or null (<see cref="Normalize"/>).</summary>
    public SpikingNorm? Normalization => norm;

    /// <summary>Whether <see cref="FoldNormalization"/> has folded the normalization into the weights or the threshold.</summary>
    public bool Folded => folded is not null;

    /// <summary>
    /// Puts <paramref name="normalization"/> between the connection and the neurons (its parameters become the block's
    /// <c>norm.*</c>). MPBN needs neurons with a separate firing membrane (<see cref="Neuron.MapsFiringMembrane"/>).
    /// </summary>
    internal void Normalize(SpikingNorm normalization)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        if (ConnectionWeight is null)
            throw new ArgumentException($"{GetType().Name} takes no normalization (only dense, conv2d and recurrent layers)", nameof(normalization));
        if (normalization.OnMembrane && !neuron.MapsFiringMembrane)
            throw new ArgumentException($"mpbn: {neuron.Description} has no separate firing membrane to normalize (use a LIF-family model)", nameof(normalization));
        norm = normalization;
        register_module("norm", normalization);
    }

    /// <summary>
    /// Folds the normalization, with its statistics fixed (eval mode), into the connection — weights <c>a_t·W</c> and bias
    /// <c>a_t·b + c_t</c> for <c>y = a_t·x + c_t</c> (one pair for tdBN, one per step for BNTT and TEBN) — or, for MPBN,
    /// into a per-channel threshold ϑ′ (<see cref="SpikingNorm.FoldedThreshold"/>). The parameters stay as they are (a saved
    /// model is the unfolded one); the block computes with the folded values from now on.
    /// </summary>
    /// <exception cref="InvalidOperationException">The normalization is in training mode.</exception>
    public void FoldNormalization()
    {
        if (norm is null || folded is not null) return;
        if (norm.training) throw new InvalidOperationException("fold the normalization in eval mode (fixed statistics): call eval() first");
        using var noGrad = no_grad();
        if (norm.OnMembrane)
        {
            (Tensor threshold, Tensor polarity) = norm.FoldedThreshold();
            foldedThreshold = (threshold.detach().clone(), polarity.detach().clone());
            folded = new FoldedConnection([], []);
            return;
        }
        Tensor weight = ConnectionWeight!;
        Tensor? bias = ConnectionBias;
        var weights = new List<Tensor>();
        var biases = new List<Tensor?>();
        for (int t = 0; t < Math.Max(1, norm.Steps); t++)
        {
            (Tensor a, Tensor c) = norm.Affine(t);
            weights.Add(weight.mul(a.view([a.shape[0], .. Enumerable.Repeat(1L, (int)weight.dim() - 1)])).detach());
            biases.Add((bias is null ? c : bias.mul(a).Plus(c)).detach());
        }
        folded = new FoldedConnection(weights, biases);
    }

    /// <summary>The connection's weight, for normalization and folding; null for blocks without one (encoder).</summary>
    protected virtual Tensor? ConnectionWeight => null;

    /// <summary>The connection's bias, or null.</summary>
    protected virtual Tensor? ConnectionBias => null;

    /// <summary>The connection with other weights (the folded ones); blocks with a <see cref="ConnectionWeight"/> override it.</summary>
    protected virtual Tensor ConnectWith(Tensor input, Tensor weight, Tensor? bias) =>
        throw new InvalidOperationException($"{GetType().Name} has no foldable connection");

    private Tensor FoldedCurrents(Tensor sequence, FoldedConnection f)
    {
        if (f.Weights.Count == 0) return OverTime(sequence, Connect);
        if (f.Weights.Count == 1) return OverTime(sequence, x => ConnectWith(x, f.Weights[0], f.Biases[0]));
        return stack([.. Enumerable.Range(0, (int)sequence.shape[0]).Select(t => FoldedCurrent(sequence[t], f, t))]);
    }

    /// <summary>Step <paramref name="time"/>'s current through the folded connection (one pair for all steps, or one per step).</summary>
    private Tensor FoldedCurrent(Tensor input, FoldedConnection f, int time)
    {
        if (f.Weights.Count == 1) return ConnectWith(input, f.Weights[0], f.Biases[0]);
        if (time >= f.Weights.Count)
            throw new ArgumentException($"{EnumNames.Of(norm!.Kind)} was built for {f.Weights.Count} time steps; step {time + 1} has no parameters (set the norm's steps to the run's T)");
        return ConnectWith(input, f.Weights[time], f.Biases[time]);
    }

    /// <summary>What the spike function of step <paramref name="time"/> compares with θ under MPBN: the normalized membrane, or, folded, <c>sign(γ)·(u − ϑ′) + θ</c>.</summary>
    private Func<Tensor, Tensor> Firing(int time)
    {
        if (foldedThreshold is { } f)
        {
            double theta = neuron.Threshold;
            return u => u.Minus(PerChannel(f.Threshold, u)).mul(PerChannel(f.Polarity, u)).Plus(theta);
        }
        return u => norm!.Step(u, time);
    }

    private static Tensor PerChannel(Tensor v, Tensor like) => v.view([v.shape[0], .. Enumerable.Repeat(1L, (int)like.dim() - 2)]);

    /// <summary>
    /// The bound neurons (<see cref="Bound"/>) for one run; with a <see cref="Neuron.TimeChunk"/>, also the tensors their
    /// step loop reads (<see cref="Neuron.StepInputs"/>), so that the checkpointed loop (<see cref="CheckpointedSteps"/>)
    /// passes their gradients on: with a recurrent matrix, the matrix and the learned neuron and normalization parameters
    /// (not the parameters the matrix is built from: their gradients flow through it, and listing both would count them
    /// twice); without one, the block's parameters but the connection's (a recurrent map such as a convolution reads its
    /// own; a listed tensor the steps do not read gets no gradient from the loop).
    /// </summary>
    private Neuron ForRun(Tensor? recurrent)
    {
        Neuron bound = Bound;
        if (bound.TimeChunk == 0) return bound;
        Tensor?[] connection = [ConnectionWeight, ConnectionBias];
        IEnumerable<Tensor> read = recurrent is null ? parameters().Where(p => !connection.Any(c => ReferenceEquals(c, p)))
            : [recurrent, .. new[] { LeakLogit, Threshold }.OfType<Tensor>(), .. norm?.parameters() ?? []];
        return bound with { StepInputs = [.. read.Where(t => t.requires_grad)] };
    }

    private (Tensor Spikes, Tensor? Membrane) FiringMapped(Tensor currents, bool membrane, NeuronState? initial, Neuron bound)
    {
        NeuronState state = initial ?? neuron.InitialState(currents.shape[1..], currents.dtype, currents.device);
        return CheckpointedSteps.Run(currents, state, (x, s, t) => bound.StepFiringOn(x, s, Firing(t)), membrane,
                                     bound.StepInputs is null ? 0 : bound.TimeChunk, bound.StepInputs ?? [], KeepStatistics);
    }

    /// <summary>
    /// Saves the normalization's running statistics and returns what restores them: a chunk re-run for backward
    /// (<see cref="CheckpointedSteps"/>) must not move them a second time.
    /// </summary>
    private Action KeepStatistics()
    {
        SpikingNorm n = norm!;
        Tensor mean = n.RunningMean.clone(), variance = n.RunningVariance.clone();
        return () =>
        {
            using var noGrad = no_grad();
            n.RunningMean.copy_(mean);
            n.RunningVariance.copy_(variance);
        };
    }

    private NeuronState Start(MembraneDistribution start, long[] shape, Tensor like, Generator? generator)
    {
        if (generator is null) throw new ArgumentNullException(nameof(generator), "a membrane start needs a generator");
        return Bound.StateWithMembrane(start.Draw(shape, like.dtype, like.device, generator), start.Trace);
    }

    private (Tensor Spikes, NeuronState State) Advance(Tensor current, NeuronState state, Tensor? recurrent)
    {
        Neuron bound = Bound;
        if (recurrent is not null) return bound.Step(current.Plus(SpikeLinear.Apply(state.Spikes, recurrent, null)), state);
        return RecurrentCurrent() is { } map ? bound.Step(current.Plus(map(state.Spikes)), state) : bound.Step(current, state);
    }
}
