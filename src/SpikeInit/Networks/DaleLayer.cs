using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>
/// An excitatory/inhibitory layer obeying Dale's law (<see cref="DaleBlock"/>): <paramref name="Excitatory"/> E and
/// <paramref name="Inhibitory"/> I neurons of an E/I current-based model (<see cref="CubaExcInhNeuron"/>), with recurrent
/// excitation when <paramref name="Recurrent"/> is set (inhibitory feedback is always there). stork's notebook 04: 128 E +
/// 32 I, recurrent. Initialized by <c>fluctuation</c> with Dale's law (docs/THEORY.md §F7).
/// </summary>
public sealed record DaleLayer(int Excitatory, int Inhibitory, Neuron Neuron, bool Recurrent = true) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        if (Neuron is not CubaExcInhNeuron neuron)
            throw new ArgumentException($"an E/I (Dale) layer needs cuba-exc-inh neurons (an excitatory and an inhibitory current), got {Neuron?.Name ?? "none"}");
        return new DaleBlock(name, Features(inputShape, "E/I (Dale) layer"), Validate.AtLeast(Excitatory, "excitatory", 1),
                             Validate.AtLeast(Inhibitory, "inhibitory", 1), Recurrent, neuron, dtype, generator);
    }

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = neuron };
}
