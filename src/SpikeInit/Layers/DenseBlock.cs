using SpikeInit.Neurons;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>Fully connected layer <c>I = x·Wᵀ + b</c> followed by neurons. Parameters <c>weight [out, in]</c>, <c>bias [out]</c>.</summary>
public sealed class DenseBlock : SpikingBlock
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    /// <summary>Creates the layer with PyTorch-default initial weights from <paramref name="generator"/>.</summary>
    public DenseBlock(string name, long inputs, long units, Neuron neuron, bool useBias, BlockOutput output,
                      ScalarType dtype, Generator? generator) : base(name, neuron, output)
    {
        weight = DefaultInit.Uniform([units, inputs], inputs, dtype, generator);
        bias = useBias ? DefaultInit.Uniform([units], inputs, dtype, generator) : null;
        RegisterComponents();
    }

    /// <summary>The weight matrix <c>[out, in]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias <c>[out]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape) => [weight.shape[0]];

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) => nn.functional.linear(input, weight, bias);
}
