using SpikeInit.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>Creates parameters with PyTorch's default initialization, drawn from an explicit generator.</summary>
internal static class DefaultInit
{
    /// <summary>U(±1/√fan_in), PyTorch's default for Linear/Conv weights and biases (kaiming_uniform with a = √5).</summary>
    public static Parameter Uniform(long[] shape, long fanIn, ScalarType dtype, Generator? generator)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        using var _ = no_grad();
        return new Parameter(empty(shape, dtype).uniform_(-bound, bound, generator));
    }
}

/// <summary>
/// Encoding layer of Micheli et al.: the first LIF layer receives the real-valued input itself as its current
/// (no weights). Its spikes feed the next layer.
/// </summary>
public sealed class EncoderBlock : SpikingBlock
{
    /// <summary>Creates the encoder.</summary>
    public EncoderBlock(string name, Neuron neuron) : base(name, neuron, BlockOutput.Spikes) => RegisterComponents();

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape) => inputShape;

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) => input;
}

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
        weight = DefaultInit.Uniform([units, inputs], inputs, dtype, generator);
        recurrent_weight = DefaultInit.Uniform([units, units], units, dtype, generator);
        using (no_grad()) recurrent_weight.mul_(OffDiagonal(units, dtype));
        bias = useBias ? DefaultInit.Uniform([units], inputs, dtype, generator) : null;
        RegisterComponents();
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
    protected override Tensor Connect(Tensor input) => nn.functional.linear(input, weight, bias);

    /// <inheritdoc />
    protected override Func<Tensor, Tensor> Recurrence()
    {
        Tensor masked = recurrent_weight * OffDiagonal(recurrent_weight.shape[0], recurrent_weight.dtype);
        return spikes => nn.functional.linear(spikes, masked);
    }

    private static Tensor OffDiagonal(long n, ScalarType dtype) => Sc.RSub(1, eye(n, dtype: dtype));
}

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
        weight = DefaultInit.Uniform([outChannels, inChannels, kernel, kernel], fanIn, dtype, generator);
        bias = useBias ? DefaultInit.Uniform([outChannels], fanIn, dtype, generator) : null;
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
        return [weight.shape[0], Shapes.ConvOut(inputShape[1], k, stride, padding), Shapes.ConvOut(inputShape[2], k, stride, padding)];
    }

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input) =>
        nn.functional.conv2d(input, weight, bias, strides: [stride, stride], padding: [padding, padding]);
}

/// <summary>Pooling kinds.</summary>
public enum PoolKind
{
    /// <summary>Max pooling (on spikes: OR over the window).</summary>
    Max,
    /// <summary>Average pooling.</summary>
    Average,
}

/// <summary>Stateless 2-D pooling over <c>[N, C, H, W]</c>.</summary>
public sealed class PoolBlock : Block
{
    private readonly PoolKind kind;
    private readonly long kernel, stride;

    /// <summary>Creates the pooling stage.</summary>
    public PoolBlock(string name, PoolKind kind, long kernel, long stride) : base(name)
    {
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        RegisterComponents();
    }

    /// <summary>Max or average.</summary>
    public PoolKind Kind => kind;

    /// <summary>Window size k (k×k).</summary>
    public long Kernel => kernel;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return [inputShape[0], Shapes.ConvOut(inputShape[1], kernel, stride, 0), Shapes.ConvOut(inputShape[2], kernel, stride, 0)];
    }

    /// <inheritdoc />
    public override BlockRun Run(Tensor sequence, bool recordMembrane) => new(OverTime(sequence, Pool), null, null);

    /// <inheritdoc />
    public override (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state) => (Pool(input), null);

    private Tensor Pool(Tensor x) => kind == PoolKind.Max
        ? nn.functional.max_pool2d(x, kernel, stride)
        : nn.functional.avg_pool2d(x, kernel, stride);
}

/// <summary>Stateless flatten of the per-sample dimensions.</summary>
public sealed class FlattenBlock : Block
{
    /// <summary>Creates the stage.</summary>
    public FlattenBlock(string name) : base(name) => RegisterComponents();

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return [inputShape.Aggregate(1L, (a, b) => a * b)];
    }

    /// <inheritdoc />
    public override BlockRun Run(Tensor sequence, bool recordMembrane)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return new(sequence.flatten(2), null, null);
    }

    /// <inheritdoc />
    public override (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (input.flatten(1), null);
    }
}

/// <summary>Shape arithmetic shared by convolution and pooling.</summary>
public static class Shapes
{
    /// <summary>Output length <c>⌊(n + 2p − k)/s⌋ + 1</c>; throws when the window does not fit.</summary>
    public static long ConvOut(long n, long kernel, long stride, long padding)
    {
        long span = n + 2 * padding - kernel;
        if (span < 0) throw new ArgumentException($"kernel {kernel} does not fit an input of size {n} with padding {padding}");
        return span / stride + 1;
    }
}
