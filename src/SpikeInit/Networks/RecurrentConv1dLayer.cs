using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>
/// A 1-D convolution over the input's channels with a recurrent convolution of the layer's own spikes
/// (<see cref="RecurrentConv1dBlock"/>; Rossbroich et al.'s CSNN layer, stork: recurrent kernel 5, stride 1, padding 2).
/// A flat input <c>[L]</c> is one channel <c>[1, L]</c>. Output <c>[Channels, L_out]</c>, L_out = ⌊(L + 2p − k)/s⌋ + 1.
/// </summary>
public sealed record RecurrentConv1dLayer(int Channels, int Kernel, Neuron Neuron, int Stride = 1, int Padding = 0,
                                          int RecurrentKernel = 5, bool Bias = false) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length is not (1 or 2))
            throw new ArgumentException($"recurrent-conv1d needs a [L] or [C, L] input but receives shape [{string.Join(", ", inputShape)}]");
        long inChannels = inputShape.Length == 1 ? 1 : inputShape[0];
        if (RecurrentKernel < 1 || RecurrentKernel % 2 == 0)
            throw new ArgumentException($"recurrent_kernel = {RecurrentKernel} must be odd and >= 1 (same-length recurrent convolution)");
        return new RecurrentConv1dBlock(name, inChannels, Validate.AtLeast(Channels, "channels", 1), Validate.AtLeast(Kernel, "kernel", 1),
                                        Validate.AtLeast(Stride, "stride", 1), Validate.AtLeast(Padding, "padding", 0), RecurrentKernel,
                                        Neuron, Bias, dtype, generator);
    }

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = neuron };
}
