using System.Text.Json.Serialization;
using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>2-D convolution with square kernels, then neurons.</summary>
public sealed record ConvLayer(int Channels, int Kernel, Neuron Neuron, int Stride = 1, int Padding = 0, bool Bias = true) : LayerSpec
{
    /// <summary>A batch normalization between the convolution and the neurons, or null (none; not written).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NormSpec? Norm { get; init; }

    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 3)
            throw new ArgumentException($"conv2d needs a [C, H, W] input but receives shape [{string.Join(", ", inputShape)}]");
        var block = new ConvBlock(name, inputShape[0], Validate.AtLeast(Channels, "channels", 1), Validate.AtLeast(Kernel, "kernel", 1),
                                  Validate.AtLeast(Stride, "stride", 1), Validate.AtLeast(Padding, "padding", 0), Neuron, Bias, dtype, generator);
        if (Norm is { } norm) block.Normalize(norm.Build(Channels, Neuron, dtype));
        return block;
    }

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = neuron };
}
