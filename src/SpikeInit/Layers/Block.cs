using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>Which tensor a spiking block passes on.</summary>
public enum BlockOutput
{
    /// <summary>Its spikes (hidden layers).</summary>
    Spikes,
    /// <summary>Its membrane potential (a non-spiking readout layer, e.g. stork's ReadoutGroup or a leaky integrator).</summary>
    Membrane,
}

/// <summary>Result of running a block over a whole sequence.</summary>
/// <param name="Output">What the block passes on, <c>[T, B, ...]</c>.</param>
/// <param name="Spikes">Its spikes <c>[T, B, ...]</c> (null for stateless blocks).</param>
/// <param name="Membrane">Its recorded membrane <c>[T, B, ...]</c> when requested (null otherwise).</param>
public sealed record BlockRun(Tensor Output, Tensor? Spikes, Tensor? Membrane);

/// <summary>
/// One stage of a spiking network. Sequences are time-major <c>[T, B, features...]</c>; per-sample shapes exclude T and B.
/// <see cref="Run"/> evaluates a whole sequence (connections for all T at once, then the neuron kernel step by step);
/// <see cref="Step"/> evaluates one time step with an explicit state. Both use the same kernel.
/// </summary>
public abstract class Block : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the block.</summary>
    protected Block(string name) : base(name) { }

    /// <summary>Per-sample output shape for a per-sample input shape.</summary>
    public abstract long[] OutputShape(long[] inputShape);

    /// <summary>The neuron model, or null for stateless blocks (pooling, flatten).</summary>
    public virtual Neuron? Neuron => null;

    /// <summary>Runs a whole sequence.</summary>
    public abstract BlockRun Run(Tensor sequence, bool recordMembrane);

    /// <summary>Runs one step; <paramref name="state"/> is null at the first step and for stateless blocks.</summary>
    public abstract (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state);

    /// <inheritdoc />
    public override Tensor forward(Tensor sequence) => Run(sequence, recordMembrane: false).Output;

    /// <summary>
    /// Applies a per-sample map to every (t, b) of a sequence at once. A sequence constant over time (a static input
    /// expanded over T: time stride 0) is mapped once and the result expanded, which is the same value for T times less
    /// work (and, in backward, the T gradients are summed before the map's own backward).
    /// </summary>
    protected static Tensor OverTime(Tensor sequence, Func<Tensor, Tensor> map)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        long t = sequence.shape[0], b = sequence.shape[1];
        if (t > 1 && sequence.stride(0) == 0)
        {
            Tensor once = map(sequence[0]);
            return once.unsqueeze(0).expand([t, .. once.shape]);
        }
        Tensor y = map(sequence.flatten(0, 1));
        return y.unflatten(0, [t, b]);
    }
}
