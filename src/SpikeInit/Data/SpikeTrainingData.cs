using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>Spike rasters (Randman, SHD) as sequences <c>[T, B, units]</c>.</summary>
/// <param name="train">Training samples.</param>
/// <param name="validation">Validation samples (may be empty).</param>
/// <param name="test">Test samples.</param>
/// <param name="batchSize">Samples per batch.</param>
/// <param name="seed">Seed of the shuffles.</param>
/// <param name="splits">Where the splits come from (null: just the counts).</param>
public sealed class SpikeTrainingData(SpikeSet train, SpikeSet validation, SpikeSet test, int batchSize, ulong seed, string? splits = null) : ITrainingData
{
    /// <inheritdoc />
    public string Splits => splits ?? $"{train.Count} training, {validation.Count} validation, {test.Count} test samples";
    /// <inheritdoc />
    public string Name => train.Name.Split('/')[0];
    /// <inheritdoc />
    public int Classes => train.Classes;
    /// <inheritdoc />
    public int TrainCount => train.Count;
    /// <inheritdoc />
    public int? Steps => null;
    /// <inheritdoc />
    public long[] InputShape => [train.Units];
    /// <inheritdoc />
    public int BatchSize => batchSize;
    /// <summary>Steps per sample.</summary>
    public int SequenceLength => train.Steps;

    /// <inheritdoc />
    public int RunSteps => SequenceLength;
    /// <summary>Seconds per step.</summary>
    public double Dt => train.Dt;
    /// <summary>Mean input rate (Hz) of the training set, for fluctuation-driven initialization.</summary>
    public double RateHz => train.MeanRateHz();

    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Train(int epoch) => Batches.Spikes(train, batchSize, seed * 1_000_003UL + (ulong)epoch);
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Validation() => validation.Count == 0 ? [] : Batches.Spikes(validation, batchSize);
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Test() => Batches.Spikes(test, batchSize);
}
