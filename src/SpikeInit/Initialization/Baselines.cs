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

/// <summary>
/// Glorot/Xavier (Glorot &amp; Bengio 2010): <c>N(0, 2/(n_in + n_out))</c> or <c>U[±√(6/(n_in + n_out))]</c>. No bias.
/// Names <c>glorot</c>, <c>glorot-uniform</c>.
/// </summary>
public sealed record Glorot(bool Uniform = false) : ConnectionInitializer
{
    /// <inheritdoc />
    public override string Name => Uniform ? "glorot-uniform" : "glorot";

    /// <inheritdoc />
    protected override WeightDistribution Weights(InitContext context, int fanIn, int fanOut) =>
        Kaiming.Symmetric(Uniform, 2.0 / (fanIn + (double)fanOut));
}

/// <summary>
/// Wu et al. 2018 (STBP) as Ding et al. describe it: <c>U[−1, 1]</c>, each neuron's fan-in row scaled to unit L2 norm
/// (E[w²] = 1/n); threshold unchanged, no bias. Name <c>wu</c>.
/// </summary>
public sealed record Wu : ConnectionInitializer
{
    /// <inheritdoc />
    public override string Name => "wu";

    /// <inheritdoc />
    protected override WeightDistribution Weights(InitContext context, int fanIn, int fanOut) => new RowNormalizedWeights(fanIn);
}

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
