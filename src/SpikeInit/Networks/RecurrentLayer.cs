using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>Recurrent layer (input and recurrent weights, zero diagonal) of <paramref name="Units"/> neurons.</summary>
public sealed record RecurrentLayer(int Units, Neuron Neuron, bool Bias = true) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) =>
        new RecurrentBlock(name, Features(inputShape, "recurrent layer"), Validate.AtLeast(Units, "units", 1), Neuron, Bias, dtype, generator);

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = neuron };
}
