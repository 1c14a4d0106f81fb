using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>
/// A recurrent layer of <paramref name="Units"/> spiking LSTM cells (<see cref="SlstmBlock"/>; Herranz-Celotti &amp;
/// Rouat's sLSTM): 4·Units·(inputs + Units + 1) parameters with a bias. <paramref name="Neuron"/> must be an
/// <see cref="SlstmNeuron"/>.
/// </summary>
public sealed record SlstmLayer(int Units, Neuron Neuron, bool Bias = true) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) =>
        new SlstmBlock(name, Features(inputShape, "slstm layer"), Validate.AtLeast(Units, "units", 1), Cell(Neuron), Bias, dtype, generator);

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = Cell(neuron) };

    private static SlstmNeuron Cell(Neuron neuron) => neuron as SlstmNeuron
        ?? throw new ArgumentException($"an slstm layer takes slstm cells, not {neuron?.Name ?? "null"} neurons (use a recurrent layer for spiking neurons)", nameof(neuron));
}
