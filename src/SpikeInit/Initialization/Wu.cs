namespace SpikeInit.Initialization;

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
