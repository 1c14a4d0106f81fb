using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// An activity regularizer on the spikes of the hidden layers (each <c>[T, B, ...]</c>), with explicit units: thresholds
/// are spike counts per sample over the whole trial (stork), SELT targets a firing probability per step.
/// </summary>
[System.Text.Json.Serialization.JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(UpperBoundRate), "upper-bound")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(LowerBoundRate), "lower-bound")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(Selt), "selt")]
public abstract record Regularizer
{
    /// <summary>The penalty for one batch at training epoch <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public abstract Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs);

    /// <summary>Spike counts per sample and neuron <c>[B, n]</c>.</summary>
    protected static Tensor Counts(Tensor spikes) => spikes.sum(dim: 0).flatten(1);

    /// <summary>The sum of a per-layer penalty over the layers (a scalar zero when there are none).</summary>
    protected static Tensor SumOverLayers(IReadOnlyList<Tensor> hiddenSpikes, Func<Tensor, Tensor> penalty)
    {
        ArgumentNullException.ThrowIfNull(hiddenSpikes);
        return hiddenSpikes.Count == 0 ? tensor(0f) : hiddenSpikes.Select(penalty).Aggregate((a, b) => a.Plus(b));
    }
}
