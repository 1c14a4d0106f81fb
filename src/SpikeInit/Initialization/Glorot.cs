namespace SpikeInit.Initialization;

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
