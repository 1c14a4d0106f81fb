using SpikeInit.Neurons;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// Rossbroich et al.'s recurrent convolutional layer (stork's CSNN for SHD): a 1-D convolution over the input
/// <c>[N, C_in, L] → [N, C_out, L_out]</c> plus a recurrent 1-D convolution of the previous step's own spikes
/// (<c>[C_out, C_out, k_r]</c>, stride 1, padding (k_r − 1)/2, so the length is kept):
/// <c>I_t = conv(x_t, W) + conv(s_{t−1}, W_rec) (+ b)</c>. A flat input <c>[N, L]</c> is one channel. Parameters
/// <c>weight</c>, <c>recurrent_weight</c> and (optionally) <c>bias</c>. Fan-ins: C_in·k (feed-forward), C_out·k_r (recurrent).
/// </summary>
public sealed class RecurrentConv1dBlock : SpikingBlock
{
    private readonly Parameter weight;
    private readonly Parameter recurrent_weight;
    private readonly Parameter? bias;
    private readonly long stride, padding;

    /// <summary>Creates the layer with PyTorch-default initial weights (U(±1/√fan_in)).</summary>
    public RecurrentConv1dBlock(string name, long inChannels, long outChannels, long kernel, long stride, long padding, long recurrentKernel,
                                Neuron neuron, bool useBias, ScalarType dtype, Generator? generator) : base(name, neuron, BlockOutput.Spikes)
    {
        RequireOneCurrent(neuron, "a recurrent conv1d layer");
        weight = DefaultInit.Uniform([outChannels, inChannels, kernel], inChannels * kernel, dtype, generator);
        recurrent_weight = DefaultInit.Uniform([outChannels, outChannels, recurrentKernel], outChannels * recurrentKernel, dtype, generator);
        bias = useBias ? DefaultInit.Uniform([outChannels], inChannels * kernel, dtype, generator) : null;
        this.stride = stride;
        this.padding = padding;
        RegisterComponents();
    }

    /// <summary>The feed-forward kernel <c>[C_out, C_in, k]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The recurrent kernel <c>[C_out, C_out, k_r]</c>.</summary>
    public Parameter RecurrentWeight => recurrent_weight;

    /// <summary>The bias <c>[C_out]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return [weight.shape[0], Shapes.ConvOut(inputShape[^1], weight.shape[2], stride, padding)];
    }

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = input.dim() == 2 ? input.unsqueeze(1) : input;
        return nn.functional.conv1d(x, weight, bias, stride: stride, padding: padding);
    }

    /// <inheritdoc />
    protected override Func<Tensor, Tensor> RecurrentCurrent()
    {
        long p = (recurrent_weight.shape[2] - 1) / 2;
        return spikes => nn.functional.conv1d(spikes, recurrent_weight, null, stride: 1, padding: p);
    }
}
