using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Initialization;

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
        if (maskedDiagonal) weight.mul_(OneMinus(eye(weight.shape[0], dtype: weight.dtype)));
        Tensor rows = weight.view(weight.shape[0], -1);
        rows.div_(rows.square().sum(dim: 1, keepdim: true).sqrt().ClampMin(1e-30));
    }
}
