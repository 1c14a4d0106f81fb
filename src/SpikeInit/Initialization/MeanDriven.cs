using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>
/// Mean-driven initialization, the comparison method of Herranz-Celotti &amp; Rouat (docs/THEORY.md §S6): the free
/// membrane's mean at threshold (μ_U = θ, so f̄ ≈ 1/2) with a unit-scale spread, <c>μ_w = θ/(N_total ν ε̄)</c>,
/// <c>σ_w = √(s/(N ν ε̂))</c>, s the α-split variance share. Name <c>mean-driven</c>.
/// </summary>
public sealed record MeanDriven(double Alpha = 0.9, EpsilonMode Epsilon = EpsilonMode.Numerical) : Initializer
{
    /// <summary>Feed-forward variance share α ∈ (0, 1) in recurrent populations.</summary>
    public double Alpha { get; init => field = Validate.InRange(value, "alpha", 0, 1, lowOpen: true, highOpen: true); } = Alpha;

    /// <inheritdoc />
    public override string Name => "mean-driven";

    /// <inheritdoc />
    public override LayerPlan Plan(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double nu = LayerTheory.RequireRate(context, Name);
        KernelIntegrals eps = context.Neuron.KernelIntegrals(Epsilon);
        Afferent[] afferents = FluctuationDriven.Afferents(context);
        double[] shares = FluctuationTheory.Shares(afferents, Alpha);
        long total = afferents.Sum(a => (long)a.FanIn);
        WeightMoments[] w = [.. afferents.Select((a, i) => FluctuationTheory.MeanDrivenParameters(a.FanIn, total, nu, eps, shares[i], context.Neuron.Threshold))];
        return FluctuationDriven.Build(Name, context, w, Epsilon);
    }
}
