using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>
/// A batch normalization between a dense or conv2d layer's connection and its neurons (<see cref="SpikingNorm"/>;
/// docs/THEORY.md, "Normalization layers"). Written into <c>model.json</c> as the layer's <c>norm</c>.
/// </summary>
/// <param name="Kind">tdbn, bntt, tebn or mpbn.</param>
/// <param name="Steps">Time steps of the per-step parameters (BNTT, TEBN: the run's T, ≥ 1; 0 for tdBN and MPBN).</param>
/// <param name="Alpha">tdBN's α (&gt; 0; the normalized current has standard deviation α·θ).</param>
/// <param name="Epsilon">ε &gt; 0 of √(σ² + ε).</param>
/// <param name="Momentum">Running-statistics momentum in [0, 1].</param>
public sealed record NormSpec(NormKind Kind, int Steps = 0, double Alpha = 1, double Epsilon = 1e-5, double Momentum = 0.1)
{
    /// <summary>The module for <paramref name="channels"/> channels of <paramref name="neuron"/>s.</summary>
    internal SpikingNorm Build(long channels, Neuron neuron, ScalarType dtype) =>
        new(Validate.Defined(Kind, "norm"), channels, Steps, neuron.Threshold, Alpha, Epsilon, Momentum, dtype);
}
