using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// stork's per-neuron <c>LowerBoundL2</c> ("homeostatic"): <c>s·mean_{b,n} relu(θ − cnt)²</c> per layer, summed
/// (s = 100, θ = 1e-3 spikes: it only acts on silent neurons). Used during training and in homeostatic priming.
/// </summary>
public sealed record LowerBoundRate(double Strength, double Threshold) : Regularizer
{
    /// <inheritdoc />
    public override Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs) =>
        SumOverLayers(hiddenSpikes, s => Counts(s).SubtractedFrom(Threshold).relu().square().mean().Times(Strength));
}
