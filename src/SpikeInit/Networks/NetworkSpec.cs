using System.Text.Json.Serialization;
using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>How the network's last output sequence <c>[T, B, ...]</c> becomes its result.</summary>
public enum Readout
{
    /// <summary>Sum over time (spike counts, Micheli and Ding; logits for cross-entropy).</summary>
    SpikeCount,
    /// <summary>Maximum over time (stork's max-over-time readout membrane).</summary>
    MaxOverTime,
    /// <summary>Mean over time (Herranz-Celotti's "mode" readout).</summary>
    MeanOverTime,
    /// <summary>The last time step.</summary>
    LastStep,
    /// <summary>The whole sequence, unreduced.</summary>
    Sequence,
}

/// <summary>One layer of a <see cref="NetworkSpec"/>; serializable, and able to build its block.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EncoderLayer), "encoder")]
[JsonDerivedType(typeof(DenseLayer), "dense")]
[JsonDerivedType(typeof(RecurrentLayer), "recurrent")]
[JsonDerivedType(typeof(ConvLayer), "conv2d")]
[JsonDerivedType(typeof(PoolLayer), "pool2d")]
[JsonDerivedType(typeof(FlattenLayer), "flatten")]
public abstract record LayerSpec
{
    internal abstract Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator);

    /// <summary>Requires a rank-1 (flat) per-sample input.</summary>
    protected static long Features(long[] inputShape, string layer)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 1)
            throw new ArgumentException($"{layer} needs a flat input but receives shape [{string.Join(", ", inputShape)}]; add a flatten layer first");
        return inputShape[0];
    }
}

/// <summary>Encoding layer: neurons driven by the raw input as current (Micheli et al.).</summary>
public sealed record EncoderLayer(Neuron Neuron) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) =>
        new EncoderBlock(name, Neuron);
}

/// <summary>Fully connected layer of <paramref name="Units"/> neurons; <paramref name="Output"/> = Membrane makes it a non-spiking readout.</summary>
public sealed record DenseLayer(int Units, Neuron Neuron, bool Bias = true, BlockOutput Output = BlockOutput.Spikes) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) =>
        new DenseBlock(name, Features(inputShape, "dense layer"), Validate.AtLeast(Units, "units", 1), Neuron, Bias,
                       Validate.Defined(Output, "output"), dtype, generator);
}

/// <summary>Recurrent layer (input and recurrent weights, zero diagonal) of <paramref name="Units"/> neurons.</summary>
public sealed record RecurrentLayer(int Units, Neuron Neuron, bool Bias = true) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) =>
        new RecurrentBlock(name, Features(inputShape, "recurrent layer"), Validate.AtLeast(Units, "units", 1), Neuron, Bias, dtype, generator);
}

/// <summary>2-D convolution with square kernels, then neurons.</summary>
public sealed record ConvLayer(int Channels, int Kernel, Neuron Neuron, int Stride = 1, int Padding = 0, bool Bias = true) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 3)
            throw new ArgumentException($"conv2d needs a [C, H, W] input but receives shape [{string.Join(", ", inputShape)}]");
        return new ConvBlock(name, inputShape[0], Validate.AtLeast(Channels, "channels", 1), Validate.AtLeast(Kernel, "kernel", 1),
                             Validate.AtLeast(Stride, "stride", 1), Validate.AtLeast(Padding, "padding", 0), Neuron, Bias, dtype, generator);
    }
}

/// <summary>2-D pooling; <paramref name="Stride"/> 0 means equal to the kernel.</summary>
public sealed record PoolLayer(PoolKind Kind, int Kernel, int Stride = 0) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 3)
            throw new ArgumentException($"pool2d needs a [C, H, W] input but receives shape [{string.Join(", ", inputShape)}]");
        int kernel = Validate.AtLeast(Kernel, "kernel", 1);
        return new PoolBlock(name, Validate.Defined(Kind, "kind"), kernel, Stride == 0 ? kernel : Validate.AtLeast(Stride, "stride", 1));
    }
}

/// <summary>Flattens the per-sample dimensions.</summary>
public sealed record FlattenLayer : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) => new FlattenBlock(name);
}

/// <summary>
/// The architecture of a spiking network: per-sample input shape, layers in order, readout. Pure data: it is what
/// <see cref="ModelStore"/> writes as JSON beside the weights, and what <see cref="SpikingNetwork.Create"/> builds.
/// </summary>
public sealed record NetworkSpec(long[] InputShape, IReadOnlyList<LayerSpec> Layers, Readout Readout = Readout.SpikeCount)
{
    /// <summary>Starts a fluent builder for a network with the given per-sample input shape.</summary>
    public static NetworkBuilder Builder(params long[] inputShape) => new(inputShape);
}

/// <summary>Fluent construction of a <see cref="NetworkSpec"/>.</summary>
public sealed class NetworkBuilder
{
    private readonly long[] inputShape;
    private readonly List<LayerSpec> layers = [];
    private Readout readout = Readout.SpikeCount;

    /// <summary>Creates a builder.</summary>
    public NetworkBuilder(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
            throw new ArgumentException($"input shape [{string.Join(", ", inputShape)}] must have at least one dimension, all ≥ 1", nameof(inputShape));
        this.inputShape = (long[])inputShape.Clone();
    }

    /// <summary>Adds a layer.</summary>
    public NetworkBuilder Add(LayerSpec layer)
    {
        layers.Add(layer ?? throw new ArgumentNullException(nameof(layer)));
        return this;
    }

    /// <summary>Adds an encoding layer.</summary>
    public NetworkBuilder Encoder(Neuron neuron) => Add(new EncoderLayer(neuron));

    /// <summary>Adds a fully connected spiking layer.</summary>
    public NetworkBuilder Dense(int units, Neuron neuron, bool bias = true) => Add(new DenseLayer(units, neuron, bias));

    /// <summary>Adds a fully connected non-spiking readout layer (its membrane is the output).</summary>
    public NetworkBuilder DenseReadout(int units, Neuron neuron, bool bias = true) => Add(new DenseLayer(units, neuron, bias, BlockOutput.Membrane));

    /// <summary>Adds a recurrent layer.</summary>
    public NetworkBuilder Recurrent(int units, Neuron neuron, bool bias = true) => Add(new RecurrentLayer(units, neuron, bias));

    /// <summary>Adds a convolution layer.</summary>
    public NetworkBuilder Conv(int channels, int kernel, Neuron neuron, int stride = 1, int padding = 0, bool bias = true) =>
        Add(new ConvLayer(channels, kernel, neuron, stride, padding, bias));

    /// <summary>Adds max pooling.</summary>
    public NetworkBuilder MaxPool(int kernel) => Add(new PoolLayer(PoolKind.Max, kernel));

    /// <summary>Adds average pooling.</summary>
    public NetworkBuilder AvgPool(int kernel) => Add(new PoolLayer(PoolKind.Average, kernel));

    /// <summary>Adds a flatten stage.</summary>
    public NetworkBuilder Flatten() => Add(new FlattenLayer());

    /// <summary>Sets the readout.</summary>
    public NetworkBuilder WithReadout(Readout value)
    {
        readout = Validate.Defined(value, "readout");
        return this;
    }

    /// <summary>The finished specification.</summary>
    public NetworkSpec Build() =>
        layers.Count == 0 ? throw new InvalidOperationException("a network needs at least one layer") : new(inputShape, layers.ToArray(), readout);
}
