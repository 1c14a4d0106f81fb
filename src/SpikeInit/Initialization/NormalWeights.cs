using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>Normal N(μ, σ²).</summary>
public sealed record NormalWeights : WeightDistribution
{
    /// <summary>Creates N(mean, std²); std ≥ 0.</summary>
    public NormalWeights(double mean, double std)
    {
        M = Validate.Finite(mean, "weight_mean");
        S = Validate.NonNegativeFinite(std, "weight_std");
    }

    private double M { get; }
    private double S { get; }
    /// <inheritdoc />
    public override double Mean => M;
    /// <inheritdoc />
    public override double Std => S;
    /// <inheritdoc />
    public override string Description => $"N({F(M)}, {F(S)}^2)";
    /// <inheritdoc />
    protected override void Draw(Tensor weight, Generator? generator) => weight.normal_(M, S, generator);
}
