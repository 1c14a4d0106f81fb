using SpikeInit.Neurons;
using SpikeInit.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// A recurrent layer of spiking LSTM cells (<see cref="SlstmNeuron"/>, docs/THEORY.md §S11): the four gates'
/// pre-activations <c>a_t = x_t·Wᵀ + b + h_{t−1}·Uᵀ</c>, with <c>weight</c> W <c>[4N, in]</c>, <c>recurrent_weight</c>
/// U <c>[4N, N]</c> (self-connections included, as in an LSTM) and <c>bias</c> b <c>[4N]</c>; rows in gate order input,
/// forget, candidate, output. It passes on the outputs h ∈ {−1, 0, 1}.
/// </summary>
public sealed class SlstmBlock : SpikingBlock
{
    private readonly Parameter weight;
    private readonly Parameter recurrent_weight;
    private readonly Parameter? bias;

    /// <summary>Creates the layer with PyTorch-default initial weights (U(±1/√fan_in)).</summary>
    public SlstmBlock(string name, long inputs, long units, SlstmNeuron neuron, bool useBias, ScalarType dtype, Generator? generator)
        : base(name, neuron, BlockOutput.Spikes)
    {
        weight = DefaultInit.Uniform([4 * units, inputs], inputs, dtype, generator);
        recurrent_weight = DefaultInit.Uniform([4 * units, units], units, dtype, generator);
        bias = useBias ? DefaultInit.Uniform([4 * units], inputs, dtype, generator) : null;
        RegisterComponents();
    }

    /// <summary>Input weights <c>[4N, in]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>Recurrent weights <c>[4N, N]</c>.</summary>
    public Parameter RecurrentWeight => recurrent_weight;

    /// <summary>The bias <c>[4N]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>The number of cells N.</summary>
    public long Units => recurrent_weight.shape[1];

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape) => [Units];

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) => SpikeLinear.Apply(input, weight, bias);

    /// <inheritdoc />
    protected override Tensor EffectiveRecurrentWeight() => recurrent_weight;
}
