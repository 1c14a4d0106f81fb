using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// Averaged SGD (PyTorch defaults λ = 1e-4, α = 0.75, t₀ = 1e6): <c>p ← p(1 − λη) − ηg</c> with
/// <c>η = lr/(1 + λ·lr·t)^α</c>; the running average of the parameters is kept in the state (slot <c>ax</c>).
/// </summary>
public sealed class AsgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
                                  double lambda = 1e-4, double alpha = 0.75, double t0 = 1e6)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["ax"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) g = g.Plus(p.Times(WeightDecay));
        double eta = LearningRate / Math.Pow(1 + lambda * LearningRate * (Steps - 1), alpha);
        double mu = 1 / Math.Max(1, Steps - 1 - t0);
        p.TimesInPlace(1 - lambda * eta).MinusInPlace(g.Times(eta));
        Tensor ax = Slot("ax", i);
        if (mu != 1) ax.PlusInPlace(p.Minus(ax).Times(mu));
        else ax.copy_(p);
    }
}
