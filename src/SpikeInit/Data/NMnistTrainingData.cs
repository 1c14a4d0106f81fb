using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>
/// N-MNIST recordings as sequences of event frames <c>[T, B, 2, 34, 34]</c> (flattened to <c>[T, B, 2312]</c> for dense
/// networks), T equal time bins per recording (<see cref="NMnist.Frames"/>). As for images, a seeded fraction of the
/// training folder is held out for validation; files are read when their batch is made.
/// </summary>
public sealed class NMnistTrainingData : ITrainingData
{
    private readonly (string Path, int Label)[] train, validation, test;

    /// <summary>Creates the data from the (file, label) items of the Train and Test folders (<see cref="NMnist.Index"/>).</summary>
    public NMnistTrainingData(IReadOnlyList<(string Path, int Label)> trainItems, IReadOnlyList<(string Path, int Label)> testItems,
                              int batchSize, ulong seed, int steps, bool flatten = true, double validationFraction = 0.1,
                              int? limitTrain = null, string name = "nmnist")
    {
        ArgumentNullException.ThrowIfNull(trainItems);
        ArgumentNullException.ThrowIfNull(testItems);
        BatchSize = Validate.AtLeast(batchSize, "batch_size", 1);
        Seed = seed;
        SequenceLength = Validate.AtLeast(steps, "steps", 1);
        Name = name;
        (string, int)[] full = limitTrain is { } l && l < trainItems.Count
            ? [.. Batches.Limit(trainItems.Count, l, seed).Select(i => trainItems[i])] : [.. trainItems];
        if (validationFraction > 0)
        {
            var (t, v) = Batches.Split(full.Length, validationFraction, seed);
            (train, validation) = ([.. t.Select(i => full[i])], [.. v.Select(i => full[i])]);
        }
        else (train, validation) = (full, []);
        if (train.Length == 0 || validationFraction > 0 && validation.Length == 0 || testItems.Count == 0)
            throw new ArgumentException($"{name}: {full.Length} training recordings leave {train.Length} for training and {validation.Length} for validation ({validationFraction:P0}, seeded), and {testItems.Count} are for testing; every split needs at least one (use --limit-train of at least 10)");
        test = [.. testItems];
        InputShape = flatten ? [NMnist.FrameSize] : [2, NMnist.Size, NMnist.Size];
    }

    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public int Classes => 10;
    /// <inheritdoc />
    public int TrainCount => train.Length;
    /// <inheritdoc />
    public int? Steps => null;
    /// <inheritdoc />
    public long[] InputShape { get; }
    /// <inheritdoc />
    public int BatchSize { get; }
    /// <summary>Seed of the split and the shuffles.</summary>
    public ulong Seed { get; }
    /// <summary>Time bins per recording.</summary>
    public int SequenceLength { get; }

    /// <inheritdoc />
    public int RunSteps => SequenceLength;

    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Train(int epoch) => Frames(train, Seed * 1_000_003UL + (ulong)epoch);
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Validation() => Frames(validation, null);
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Test() => Frames(test, null);

    private IEnumerable<(Tensor X, Tensor Y)> Frames((string Path, int Label)[] items, ulong? shuffleSeed) =>
        Batches.Events(items, BatchSize, SequenceLength, shuffleSeed).Select(b => (b.X.reshape([SequenceLength, b.Y.shape[0], .. InputShape]), b.Y));
}
