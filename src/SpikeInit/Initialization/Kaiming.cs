namespace SpikeInit.Initialization;

/// <summary>
/// Kaiming/He (He et al. 2015): normal <c>N(0, g²/n)</c> or uniform <c>U[±g√(3/n)]</c> with gain g (√2 for ReLU, the
/// standard; stork's baseline uses g = 1). No bias. Names <c>kaiming</c>, <c>kaiming-uniform</c>.
/// </summary>
public sealed record Kaiming(bool Uniform = false, double Gain = 1.4142135623730951) : ConnectionInitializer
{
    /// <summary>Gain g &gt; 0.</summary>
    public double Gain { get; init => field = Validate.Positive(value, "gain"); } = Gain;

    /// <inheritdoc />
    public override string Name => Uniform ? "kaiming-uniform" : "kaiming";

    /// <inheritdoc />
    protected override WeightDistribution Weights(InitContext context, int fanIn, int fanOut) =>
        Symmetric(Uniform, Gain * Gain / fanIn);

    /// <summary>N(0, v) or the uniform distribution with variance v.</summary>
    internal static WeightDistribution Symmetric(bool uniform, double variance) =>
        uniform ? UniformWeights.WithMoments(0, variance) : new NormalWeights(0, Math.Sqrt(variance));
}
