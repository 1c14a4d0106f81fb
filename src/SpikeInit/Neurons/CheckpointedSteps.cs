using System.Collections.Concurrent;
using System.Reflection;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Neurons;

/// <summary>
/// The step loop of a layer without a fused kernel (recurrent conv, ALIF, sLSTM, learned leak and threshold, MPBN), with
/// optional time checkpointing (<see cref="SequenceCheckpoint"/>). Without a chunk it is the plain loop: one
/// <c>step(I_t, state, t)</c> per time step, spikes (and membranes) stacked. With a chunk of C steps, each chunk is one
/// autograd function: forward runs the chunk's steps under no_grad in a dispose scope of its own and keeps only the
/// state at the chunk's start, the chunk's currents and the tensors the step reads; backward re-runs the chunk with
/// gradients enabled from that state and back-propagates the chunk's output gradients and the gradient of its end
/// state (carried from the next chunk) to the currents, the start state and every listed tensor
/// (<see cref="autograd.grad"/>). What the autograd graph keeps for BPTT is then one chunk's graph plus T / C states
/// instead of the graph of all T steps. Forward values are bit for bit those of the plain loop (the same operations);
/// gradients agree to float32 rounding (the same terms, summed across chunk boundaries in another order).
/// </summary>
public static class CheckpointedSteps
{
    /// <summary>
    /// Runs <paramref name="step"/> over the currents <c>[T, B, ...]</c> from <paramref name="initial"/>; returns the stacked
    /// spikes and, when <paramref name="membrane"/> is set, the stacked membranes of the states. With a
    /// <paramref name="chunk"/> (<see cref="Neuron.TimeChunk"/>) that applies to T, while gradients are recorded and some
    /// input needs one, the loop is checkpointed; <paramref name="inputs"/> must then list every tensor besides the
    /// currents and the state that the step reads and that may need a gradient (a block's parameters, a recurrent matrix
    /// built from them), or their gradients are lost. <paramref name="recomputation"/> is called before a chunk is re-run
    /// for backward and the action it returns after: a step with side effects (running statistics of a normalization)
    /// saves and restores them there, so that they move once per step as without checkpointing. A state that is not a
    /// record of tensors (its constructor's parameters all tensors, each a property of the same name) runs the plain loop.
    /// </summary>
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, NeuronState initial, Func<Tensor, NeuronState, int, (Tensor Spikes, NeuronState State)> step,
                                                        bool membrane, int chunk, IReadOnlyList<Tensor> inputs, Func<Action>? recomputation = null)
    {
        ArgumentNullException.ThrowIfNull(currents);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(inputs);
        int steps = (int)currents.shape[0], length = SequenceCheckpoint.Steps(chunk, steps);
        Tensor[]? state = length > 0 && is_grad_enabled() ? Decompose(initial) : null;
        if (state is null || !(currents.requires_grad || state.Any(t => t.requires_grad) || inputs.Any(t => t.requires_grad)))
        {
            var (s, m, _) = Loop(currents, initial, step, 0, membrane);
            return (s, m);
        }
        var spikes = new List<Tensor>();
        var membranes = new List<Tensor>();
        NeuronState template = initial;
        for (int from = 0; from < steps; from += length)
        {
            var part = new Chunk(step, from, membrane, template, state.Length, recomputation);
            List<Tensor> outputs = ChunkFunction.apply([part, currents.narrow(0, from, Math.Min(length, steps - from)), .. state, .. inputs]);
            spikes.Add(outputs[0]);
            if (membrane) membranes.Add(outputs[1]);
            state = [.. outputs.Skip(membrane ? 2 : 1)];
        }
        return (cat(spikes, 0), membrane ? cat(membranes, 0) : null);
    }

    /// <summary>The plain loop over the rows of <paramref name="currents"/>, which are steps <paramref name="from"/>, … of the run.</summary>
    private static (Tensor Spikes, Tensor? Membrane, NeuronState End) Loop(Tensor currents, NeuronState state, Func<Tensor, NeuronState, int, (Tensor Spikes, NeuronState State)> step,
                                                                           int from, bool membrane)
    {
        long steps = currents.shape[0];
        var spikes = new Tensor[steps];
        var membranes = membrane ? new Tensor[steps] : null;
        for (int t = 0; t < steps; t++)
        {
            (spikes[t], state) = step(currents[t], state, from + t);
            if (membranes is not null) membranes[t] = state.Membrane;
        }
        return (stack(spikes), membranes is null ? null : stack(membranes), state);
    }

    /// <summary>One chunk of the run: the step, its first step's index, the state's record type and tensor count.</summary>
    private sealed record Chunk(Func<Tensor, NeuronState, int, (Tensor Spikes, NeuronState State)> Step, int From, bool Membrane, NeuronState Template,
                                int StateCount, Func<Action>? Recomputation);

    /// <summary>How a state record is taken apart and rebuilt: its constructor and the tensor properties of its parameters.</summary>
    private static readonly ConcurrentDictionary<Type, (ConstructorInfo Constructor, PropertyInfo[] Properties)?> layouts = new();

    private static (ConstructorInfo Constructor, PropertyInfo[] Properties)? Layout(Type type) => layouts.GetOrAdd(type, t =>
    {
        foreach (ConstructorInfo constructor in t.GetConstructors())
        {
            ParameterInfo[] parameters = constructor.GetParameters();
            if (parameters.Length == 0 || parameters.Any(p => p.ParameterType != typeof(Tensor))) continue;
            PropertyInfo?[] properties = [.. parameters.Select(p => t.GetProperty(p.Name!, typeof(Tensor)))];
            if (properties.All(p => p is not null)) return (constructor, [.. properties.Select(p => p!)]);
        }
        return null;
    });

    /// <summary>The state's tensors in constructor order, or null when the state is not a record of tensors.</summary>
    private static Tensor[]? Decompose(NeuronState state) =>
        Layout(state.GetType()) is { } layout ? [.. layout.Properties.Select(p => (Tensor)p.GetValue(state)!)] : null;

    private static NeuronState Rebuild(NeuronState template, IReadOnlyList<Tensor> tensors) =>
        (NeuronState)Layout(template.GetType())!.Value.Constructor.Invoke([.. tensors]);

    /// <summary>
    /// The autograd node of one chunk: inputs (chunk, currents <c>[C, B, ...]</c>, start state tensors, read tensors),
    /// outputs [spikes(, membranes), end state tensors].
    /// </summary>
    private sealed class ChunkFunction : MultiTensorFunction<ChunkFunction>
    {
        public override string Name => "SpikeInitCheckpointedSteps";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var chunk = (Chunk)vars[0];
            Tensor[] tensors = [.. vars.Skip(1).Cast<Tensor>()];
            ctx.save_for_backward([.. tensors]);
            ctx.save_data("chunk", chunk);
            using var scope = NewDisposeScope();                   // the chunk's temporaries go now, not with the batch
            var (spikes, membranes, end) = Loop(tensors[0], Rebuild(chunk.Template, tensors[1..(1 + chunk.StateCount)]), chunk.Step, chunk.From, chunk.Membrane);
            List<Tensor> outputs = [spikes, .. membranes is null ? Array.Empty<Tensor>() : [membranes], .. Decompose(end)!.Select(t => t.clone())];
            foreach (Tensor output in outputs) output.MoveToOuterDisposeScope();
            return outputs;
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            var chunk = (Chunk)ctx.get_data("chunk");
            List<Tensor> saved = ctx.get_saved_variables();
            var result = new Tensor?[saved.Count + 1];
            using (NewDisposeScope())
            using (enable_grad())
            {
                // The currents and the start state become leaves of the recomputed graph; the read tensors stay as they are
                // (the step reads them), and autograd.grad differentiates with respect to them without accumulating.
                Tensor[] leaves = [.. saved.Take(1 + chunk.StateCount).Select(t => t.detach().requires_grad_(t.requires_grad))];
                Action? restore = chunk.Recomputation?.Invoke();
                var (spikes, membranes, end) = Loop(leaves[0], Rebuild(chunk.Template, leaves[1..]), chunk.Step, chunk.From, chunk.Membrane);
                restore?.Invoke();
                Tensor[] outputs = [spikes, .. membranes is null ? Array.Empty<Tensor>() : [membranes], .. Decompose(end)!];
                int[] live = [.. Enumerable.Range(0, outputs.Length).Where(i => outputs[i].requires_grad)];
                int[] targets = [.. Enumerable.Range(0, saved.Count).Where(i => (i <= chunk.StateCount ? leaves[i] : saved[i]).requires_grad)];
                if (live.Length > 0 && targets.Length > 0)
                {
                    IList<Tensor> gradients = grad([.. live.Select(i => outputs[i])], [.. targets.Select(i => i <= chunk.StateCount ? leaves[i] : saved[i])],
                                                   [.. live.Select(i => grads[i])], allow_unused: true);
                    for (int k = 0; k < targets.Length; k++)
                        if (!gradients[k].IsInvalid) result[targets[k] + 1] = gradients[k].MoveToOuterDisposeScope();
                }
            }
            foreach (Tensor g in grads) g.Dispose();                 // the incoming gradients are not needed past this chunk
            return [.. result.Select(t => t!)];
        }
    }
}
