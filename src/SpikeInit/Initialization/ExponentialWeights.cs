using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>Exponential with rate λ (mean 1/λ, std 1/λ); all weights ≥ 0 (Dale's law).</summary>
public sealed record ExponentialWeights : WeightDistribution
{
    /// <summary>Creates Exp(λ), λ &gt; 0.</summary>
    public ExponentialWeights(double rate) => Rate = Validate.Positive(rate, "rate");

    /// <summary>λ.</summary>
    public double Rate { get; }
    /// <inheritdoc />
    public override double Mean => 1 / Rate;
    /// <inheritdoc />
    public override double Std => 1 / Rate;
    /// <inheritdoc />
    public override string Description => $"Exp({F(Rate)})";

    /// <inheritdoc />
    protected override void Draw(Tensor weight, Generator? generator)
    {
        // inverse CDF: w = −ln(1 − u)/λ with u ∈ [0, 1)
        weight.uniform_(0, 1, generator);
        weight.neg_().log1p_().neg_().OverInPlace(Rate);
    }
}
