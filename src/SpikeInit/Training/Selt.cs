using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// Herranz-Celotti &amp; Rouat's sparsity-encouraging loss term: <c>λ·s(e)·Σ_l (f̄_l − f*)²</c>, f̄ the mean firing
/// probability per step of layer l, switched on linearly: s = 0 before E/5, (e − E/5)/(2E/5) up to 3E/5, then 1.
/// </summary>
public sealed record Selt(double Lambda, double Target = 0.01) : Regularizer
{
    /// <summary>The switch s(e) for epoch e of E.</summary>
    public static double Switch(int epoch, int epochs)
    {
        double start = 0.2 * epochs, end = 0.6 * epochs;
        if (epoch < start) return 0;
        if (epoch > end) return 1;
        return (epoch - start) / (end - start);
    }

    /// <inheritdoc />
    public override Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs)
    {
        double s = Switch(epoch, epochs);
        return s == 0 ? tensor(0f) : SumOverLayers(hiddenSpikes, spikes => spikes.mean().Minus(Target).square()).Times(Lambda * s);
    }
}
