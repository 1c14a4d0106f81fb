using System.Text.Json.Serialization;
using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>Fully connected layer of <paramref name="Units"/> neurons; <paramref name="Output"/> = Membrane makes it a non-spiking readout.</summary>
public sealed record DenseLayer(int Units, Neuron Neuron, bool Bias = true, BlockOutput Output = BlockOutput.Spikes) : LayerSpec
{
    /// <summary>A batch normalization between the connection and the neurons, or null (none; not written).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NormSpec? Norm { get; init; }

    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        var block = new DenseBlock(name, Features(inputShape, "dense layer"), Validate.AtLeast(Units, "units", 1), Neuron, Bias,
                                   Validate.Defined(Output, "output"), dtype, generator);
        if (Norm is { } norm) block.Normalize(norm.Build(Units, Neuron, dtype));
        return block;
    }

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = neuron };
}
