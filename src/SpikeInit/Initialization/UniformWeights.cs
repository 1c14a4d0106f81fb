using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>Uniform U(low, high).</summary>
public sealed record UniformWeights : WeightDistribution
{
    /// <summary>Creates U(low, high), low ≤ high.</summary>
    public UniformWeights(double low, double high)
    {
        Low = Validate.Finite(low, "low");
        High = Validate.InRange(high, "high", low, double.MaxValue);
    }

    /// <summary>U(mean ± √(3·variance)): the uniform distribution with the given mean and variance.</summary>
    public static UniformWeights WithMoments(double mean, double variance)
    {
        double half = Math.Sqrt(3 * Validate.NonNegativeFinite(variance, "weight_variance"));
        return new UniformWeights(mean - half, mean + half);
    }

    /// <summary>Lower bound.</summary>
    public double Low { get; }
    /// <summary>Upper bound.</summary>
    public double High { get; }
    /// <inheritdoc />
    public override double Mean => (Low + High) / 2;
    /// <inheritdoc />
    public override double Std => (High - Low) / Math.Sqrt(12);
    /// <inheritdoc />
    public override string Description => $"U({F(Low)}, {F(High)})";
    /// <inheritdoc />
    protected override void Draw(Tensor weight, Generator? generator) => weight.uniform_(Low, High, generator);
}
