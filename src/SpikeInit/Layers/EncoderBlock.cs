using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// Encoding layer of Micheli et al.: the first LIF layer receives the real-valued input itself as its current
/// (no weights). Its spikes feed the next layer.
/// </summary>
public sealed class EncoderBlock : SpikingBlock
{
    /// <summary>Creates the encoder.</summary>
    public EncoderBlock(string name, Neuron neuron) : base(name, neuron, BlockOutput.Spikes)
    {
        RequireOneCurrent(neuron, "an encoder layer");
        RegisterComponents();
    }

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape) => inputShape;

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) => input;
}
