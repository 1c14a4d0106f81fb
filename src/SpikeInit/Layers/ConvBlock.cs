using SpikeInit.Neurons;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>2-D convolution <c>[N, C_in, H, W] → [N, C_out, H', W']</c> followed by neurons.</summary>
public sealed class ConvBlock : SpikingBlock
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long stride, padding;

    /// <summary>Creates the layer with PyTorch-default initial weights (fan-in C_in·k·k).</summary>
    public ConvBlock(string name, long inChannels, long outChannels, long kernel, long stride, long padding, Neuron neuron,
                     bool useBias, ScalarType dtype, Generator? generator) : base(name, neuron, BlockOutput.Spikes)
    {
        long fanIn = inChannels * kernel * kernel;
        long currents = outChannels * neuron.CurrentsPerNeuron;   // one kernel per current channel (2 per E/I neuron)
        weight = DefaultInit.Uniform([currents, inChannels, kernel, kernel], fanIn, dtype, generator);
        bias = useBias ? DefaultInit.Uniform([currents], fanIn, dtype, generator) : null;
        this.stride = stride;
        this.padding = padding;
        RegisterComponents();
    }

    /// <summary>The kernel <c>[C_out, C_in, k, k]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias <c>[C_out]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        long k = weight.shape[2];
        return [weight.shape[0] / Neuron.CurrentsPerNeuron, Shapes.ConvOut(inputShape[1], k, stride, padding), Shapes.ConvOut(inputShape[2], k, stride, padding)];
    }

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) => ConnectWith(input, weight, bias);

    /// <inheritdoc />
    protected override Tensor? ConnectionWeight => weight;

    /// <inheritdoc />
    protected override Tensor? ConnectionBias => bias;

    /// <inheritdoc />
    protected override Tensor ConnectWith(Tensor input, Tensor weight, Tensor? bias) =>
        nn.functional.conv2d(input, weight, bias, strides: [stride, stride], padding: [padding, padding]);
}
