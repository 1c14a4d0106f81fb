using SpikeInit.Neurons;
using SpikeInit.Runtime;
using TorchSharp.Modules;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// Recurrent LIF layer of Herranz-Celotti &amp; Rouat: <c>I_t = x_t·W_inᵀ + s_{t−1}·(M ⊙ W_rec)ᵀ + b</c> with
/// <c>M = 1 − Identity</c> (no self-connection; the diagonal never receives gradient). Parameters <c>weight</c>
/// (input, <c>[out, in]</c>), <c>recurrent_weight</c> (<c>[out, out]</c>) and <c>bias</c>.
/// </summary>
public sealed class RecurrentBlock : SpikingBlock
{
    private readonly Parameter weight;
    private readonly Parameter recurrent_weight;
    private readonly Parameter? bias;

    /// <summary>Creates the layer with PyTorch-default initial weights (diagonal of W_rec zero).</summary>
    public RecurrentBlock(string name, long inputs, long units, Neuron neuron, bool useBias, ScalarType dtype, Generator? generator)
        : base(name, neuron, BlockOutput.Spikes)
    {
        RequireOneCurrent(neuron, "a recurrent layer");
        weight = DefaultInit.Uniform([units, inputs], inputs, dtype, generator);
        recurrent_weight = DefaultInit.Uniform([units, units], units, dtype, generator);
        using (no_grad()) recurrent_weight.mul_(OffDiagonal(recurrent_weight));
        bias = useBias ? DefaultInit.Uniform([units], inputs, dtype, generator) : null;
        RegisterComponents();
        LearnNeuronParameters(units, dtype);
    }

    /// <summary>Input weights <c>[out, in]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>Recurrent weights <c>[out, out]</c> (the diagonal is ignored).</summary>
    public Parameter RecurrentWeight => recurrent_weight;

    /// <summary>The bias, or null.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape) => [weight.shape[0]];

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) => ConnectWith(input, weight, bias);

    /// <summary>The input weights: a normalization acts on the feed-forward current only (docs/THEORY.md §N8).</summary>
    protected override Tensor? ConnectionWeight => weight;

    /// <inheritdoc />
    protected override Tensor? ConnectionBias => bias;

    /// <inheritdoc />
    protected override Tensor ConnectWith(Tensor input, Tensor weight, Tensor? bias) => SpikeLinear.Apply(input, weight, bias);

    /// <inheritdoc />
    protected override Tensor EffectiveRecurrentWeight() => recurrent_weight * OffDiagonal(recurrent_weight);

    private static Tensor OffDiagonal(Tensor like) => OneMinus(eye(like.shape[0], dtype: like.dtype, device: like.device));
}
