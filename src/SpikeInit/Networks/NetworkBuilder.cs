using SpikeInit.Layers;
using SpikeInit.Neurons;

namespace SpikeInit.Networks;

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

    /// <summary>Adds a recurrent layer of spiking LSTM cells (<see cref="SlstmLayer"/>; the neuron must be an <see cref="SlstmNeuron"/>).</summary>
    public NetworkBuilder Slstm(int units, Neuron neuron, bool bias = true) => Add(new SlstmLayer(units, neuron, bias));

    /// <summary>Adds a convolution layer.</summary>
    public NetworkBuilder Conv(int channels, int kernel, Neuron neuron, int stride = 1, int padding = 0, bool bias = true) =>
        Add(new ConvLayer(channels, kernel, neuron, stride, padding, bias));

    /// <summary>Adds an E/I (Dale) layer of <paramref name="excitatory"/> E and <paramref name="inhibitory"/> I neurons (<see cref="DaleLayer"/>).</summary>
    public NetworkBuilder Dale(int excitatory, int inhibitory, Neuron neuron, bool recurrent = true) =>
        Add(new DaleLayer(excitatory, inhibitory, neuron, recurrent));

    /// <summary>Adds a 1-D convolution with recurrent convolution (<see cref="RecurrentConv1dLayer"/>).</summary>
    public NetworkBuilder RecurrentConv1d(int channels, int kernel, Neuron neuron, int stride = 1, int padding = 0, int recurrentKernel = 5, bool bias = false) =>
        Add(new RecurrentConv1dLayer(channels, kernel, neuron, stride, padding, recurrentKernel, bias));

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
