using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>Stateless flatten of the per-sample dimensions.</summary>
public sealed class FlattenBlock : Block
{
    /// <summary>Creates the stage.</summary>
    public FlattenBlock(string name) : base(name) => RegisterComponents();

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return [inputShape.Aggregate(1L, (a, b) => a * b)];
    }

    /// <inheritdoc />
    public override BlockRun Run(Tensor sequence, bool recordMembrane)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return new(sequence.flatten(2), null, null);
    }

    /// <inheritdoc />
    public override (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (input.flatten(1), null);
    }
}
