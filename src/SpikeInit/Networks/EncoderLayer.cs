using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>Encoding layer: neurons driven by the raw input as current (Micheli et al.).</summary>
public sealed record EncoderLayer(Neuron Neuron) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) =>
        new EncoderBlock(name, Neuron);

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = neuron };
}
