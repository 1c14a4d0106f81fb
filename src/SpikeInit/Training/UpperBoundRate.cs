using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// stork's <c>UpperBoundL2</c> on the population rate: <c>s·mean_b relu(mean_n cnt − θ)²</c> per layer, summed over layers
/// (θ in spikes per sample; Randman: s = 0.1, θ = 4 per 200 ms; SHD: θ = 7 per 0.7 s).
/// </summary>
public sealed record UpperBoundRate(double Strength, double Threshold) : Regularizer
{
    /// <inheritdoc />
    public override Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs) =>
        SumOverLayers(hiddenSpikes, s => Counts(s).mean([1]).Minus(Threshold).relu().square().mean().Times(Strength));
}
