using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>SGD with momentum: <c>b = μb + g</c> (b = g at the first step), <c>p −= lr·b</c>; L2 weight decay.</summary>
public sealed class SgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["b"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) g = g.Plus(p.Times(WeightDecay));
        if (momentum > 0)
        {
            Tensor b = Slot("b", i);
            if (Steps == 1) b.copy_(g);
            else b.TimesInPlace(momentum).PlusInPlace(g);
            g = b;
        }
        p.MinusInPlace(g.Times(LearningRate));
    }
}
