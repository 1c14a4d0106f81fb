using SpikeInit.Neurons;
using SpikeInit.Runtime;
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
        long currents = units * neuron.CurrentsPerNeuron;   // one row per current channel (2 per E/I neuron)
        weight = DefaultInit.Uniform([currents, inputs], inputs, dtype, generator);
        bias = useBias ? DefaultInit.Uniform([currents], inputs, dtype, generator) : null;
        RegisterComponents();
        LearnNeuronParameters(units, dtype);
    }

    /// <summary>The weight matrix <c>[out, in]</c> (out = units × the neuron's currents per neuron).</summary>
    public Parameter Weight => weight;

    /// <summary>The bias <c>[out]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape) => [weight.shape[0] / Neuron.CurrentsPerNeuron];

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) => ConnectWith(input, weight, bias);

    /// <inheritdoc />
    protected override Tensor? ConnectionWeight => weight;

    /// <inheritdoc />
    protected override Tensor? ConnectionBias => bias;

    /// <inheritdoc />
    protected override Tensor ConnectWith(Tensor input, Tensor weight, Tensor? bias) => SpikeLinear.Apply(input, weight, bias);
}
