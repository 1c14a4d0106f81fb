using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// AdaBelief (Zhuang et al. 2020; adabelief-pytorch 0.2 defaults: ε = 1e-16, decoupled weight decay, no rectification):
/// <c>m = β₁m + (1−β₁)g</c>, <c>s = β₂s + (1−β₂)(g − m)² + ε</c>, <c>p −= lr·(m/(1−β₁ᵗ))/(√(s/(1−β₂ᵗ)) + ε)</c>.
/// </summary>
public sealed class AdaBeliefOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
                                       double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-16)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["m", "s"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) p.TimesInPlace(1 - LearningRate * WeightDecay);
        Tensor m = Slot("m", i).TimesInPlace(beta1).PlusScaledInPlace(g, 1 - beta1);
        Tensor d = g.Minus(m);
        Tensor s = Slot("s", i).TimesInPlace(beta2).PlusProductInPlace(d, d, 1 - beta2).PlusInPlace(epsilon);
        double c1 = 1 - Math.Pow(beta1, Steps), c2 = 1 - Math.Pow(beta2, Steps);
        p.MinusInPlace((m.Over(c1) / s.Over(c2).sqrt().Plus(epsilon)).Times(LearningRate));
    }
}
