using System.Text.Json.Serialization;
using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>Recurrent layer (input and recurrent weights, zero diagonal) of <paramref name="Units"/> neurons.</summary>
public sealed record RecurrentLayer(int Units, Neuron Neuron, bool Bias = true) : LayerSpec
{
    /// <summary>
    /// A batch normalization of the feed-forward current <c>x_t·W_inᵀ + b</c>, before the recurrent current is added, or null
    /// (none; not written). tdBN, BNTT and TEBN; MPBN is refused (docs/THEORY.md §N8).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NormSpec? Norm { get; init; }

    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        if (Norm is { Kind: NormKind.Mpbn })
            throw new ArgumentException("norm: mpbn normalizes the membrane, which on a recurrent layer also carries the recurrent current; a recurrent layer takes tdbn, bntt or tebn (on its feed-forward current)");
        var block = new RecurrentBlock(name, Features(inputShape, "recurrent layer"), Validate.AtLeast(Units, "units", 1), Neuron, Bias, dtype, generator);
        if (Norm is { } norm) block.Normalize(norm.Build(Units, Neuron, dtype));
        return block;
    }

    internal override LayerSpec WithNeuron(Neuron neuron) => this with { Neuron = neuron };
}
