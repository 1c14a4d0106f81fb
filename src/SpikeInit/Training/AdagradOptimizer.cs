using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>Adagrad: <c>G += g²</c>, <c>p −= lr·g/(√G + ε)</c>, ε = 1e-10.</summary>
public sealed class AdagradOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, double epsilon = 1e-10)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["sum"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) g = g.Plus(p.Times(WeightDecay));
        Tensor sum = Slot("sum", i).PlusProductInPlace(g, g, 1);
        p.MinusInPlace((g / sum.sqrt().Plus(epsilon)).Times(LearningRate));
    }
}
