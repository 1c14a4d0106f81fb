namespace SpikeInit.Initialization;

/// <summary>
/// Lee, Delbruck &amp; Pfeiffer 2016: <c>U[±√(3/M)]</c> with M the fan-in (weights only; the paper's threshold
/// <c>α√(3/M)</c> is a neuron parameter, left to the user). No bias. Name <c>lee2016</c>.
/// </summary>
public sealed record Lee2016 : ConnectionInitializer
{
    /// <inheritdoc />
    public override string Name => "lee2016";

    /// <inheritdoc />
    protected override WeightDistribution Weights(InitContext context, int fanIn, int fanOut) =>
        Kaiming.Symmetric(uniform: true, 1.0 / fanIn);
}

/// <summary>
/// Lee et al. 2020: He normal with a hand-picked constant, <c>N(0, κ/n)</c>; the authors' code uses κ = 2 (default).
/// No bias. Name <c>lee2020</c>.
/// </summary>
public sealed record Lee2020(double Kappa = 2.0) : ConnectionInitializer
{
    /// <summary>κ &gt; 0.</summary>
    public double Kappa { get; init => field = Validate.Positive(value, "kappa"); } = Kappa;

    /// <inheritdoc />
    public override string Name => "lee2020";

    /// <inheritdoc />
    protected override WeightDistribution Weights(InitContext context, int fanIn, int fanOut) =>
        Kaiming.Symmetric(uniform: false, Kappa / fanIn);
}
