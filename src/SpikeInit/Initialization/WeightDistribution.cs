using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>An i.i.d. (or row-normalized) weight distribution with known mean and standard deviation.</summary>
public abstract record WeightDistribution
{
    /// <summary>E[w].</summary>
    public abstract double Mean { get; }

    /// <summary>Std[w] (for row-normalized weights: √(E[w²] − E[w]²) over the ensemble).</summary>
    public abstract double Std { get; }

    /// <summary>E[w²].</summary>
    public double SecondMoment => Std * Std + Mean * Mean;

    /// <summary>Short description, e.g. <c>N(0, 0.0447²)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Fills <paramref name="weight"/> in place (call under no_grad).</summary>
    public void Fill(Tensor weight, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Draw(weight, generator);
        if (!weight.isfinite().all().item<bool>())
            throw new InvalidOperationException($"drawing {Description} produced non-finite weights");
    }

    /// <summary>Draws into the tensor.</summary>
    protected abstract void Draw(Tensor weight, Generator? generator);

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>Formats a number for descriptions.</summary>
    protected static string F(double x) => Validate.Format(x);
}

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
        weight.neg_().log1p_().neg_().div_(Rate);
    }
}

/// <summary>
/// Wu et al. (2018, STBP) as Ding et al. describe it: <c>w ~ U[−1, 1]</c>, then each neuron's fan-in row is scaled to
/// unit L2 norm, so <c>E[w] = 0</c> and <c>E[w²] = 1/n</c> exactly.
/// </summary>
public sealed record RowNormalizedWeights : WeightDistribution
{
    /// <summary>Creates the distribution for rows of <paramref name="fanIn"/> weights.</summary>
    public RowNormalizedWeights(int fanIn) => FanIn = Validate.AtLeast(fanIn, "fan_in", 1);

    /// <summary>Row length n.</summary>
    public int FanIn { get; }
    /// <inheritdoc />
    public override double Mean => 0;
    /// <inheritdoc />
    public override double Std => 1 / Math.Sqrt(FanIn);
    /// <inheritdoc />
    public override string Description => $"U(-1, 1) rows / L2 norm (n = {FanIn})";

    /// <inheritdoc />
    protected override void Draw(Tensor weight, Generator? generator)
    {
        long rowLength = weight.numel() / Math.Max(weight.shape[0], 1);
        // a square recurrent matrix has one more entry per row than inputs: its diagonal is masked, so it gets zero
        bool maskedDiagonal = weight.dim() == 2 && weight.shape[0] == weight.shape[1] && rowLength == FanIn + 1;
        if (rowLength != FanIn && !maskedDiagonal)
            throw new ArgumentException($"weight rows have {rowLength} entries, the initializer was planned for fan_in = {FanIn}", nameof(weight));
        weight.uniform_(-1, 1, generator);
        if (maskedDiagonal) weight.mul_(1 - eye(weight.shape[0], dtype: weight.dtype));
        Tensor rows = weight.view(weight.shape[0], -1);
        rows.div_(rows.square().sum(dim: 1, keepdim: true).sqrt().clamp_min(1e-30));
    }
}
