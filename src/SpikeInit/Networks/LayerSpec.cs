using System.Text.Json.Serialization;
using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>One layer of a <see cref="NetworkSpec"/>; serializable, and able to build its block.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EncoderLayer), "encoder")]
[JsonDerivedType(typeof(DenseLayer), "dense")]
[JsonDerivedType(typeof(RecurrentLayer), "recurrent")]
[JsonDerivedType(typeof(ConvLayer), "conv2d")]
[JsonDerivedType(typeof(PoolLayer), "pool2d")]
[JsonDerivedType(typeof(FlattenLayer), "flatten")]
[JsonDerivedType(typeof(DaleLayer), "dale")]
[JsonDerivedType(typeof(RecurrentConv1dLayer), "recurrent-conv1d")]
[JsonDerivedType(typeof(SlstmLayer), "slstm")]
public abstract record LayerSpec
{
    internal abstract Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator);

    /// <summary>The same layer with other neurons; layers without neurons (pooling, flatten) have none to replace.</summary>
    internal virtual LayerSpec WithNeuron(Neuron neuron) =>
        throw new ArgumentException($"a {GetType().Name} has no neurons", nameof(neuron));

    /// <summary>Requires a rank-1 (flat) per-sample input.</summary>
    protected static long Features(long[] inputShape, string layer)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 1)
            throw new ArgumentException($"{layer} needs a flat input but receives shape [{string.Join(", ", inputShape)}]; add a flatten layer first");
        return inputShape[0];
    }
}
