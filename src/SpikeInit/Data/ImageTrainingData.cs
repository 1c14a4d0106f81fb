using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>How images become network input.</summary>
public enum ImageEncoding
{
    /// <summary>The (normalized) pixels as a constant current for T steps; the first LIF layer encodes (Micheli).</summary>
    Constant,
    /// <summary>Poisson spikes with p = pixel per step.</summary>
    Poisson,
    /// <summary>One latency spike per pixel (sl-MNIST).</summary>
    Latency,
    /// <summary>Retina-like ON/OFF integrate-and-fire (doubles the channels).</summary>
    Retina,
}

/// <summary>Images (MNIST family) with a seeded validation split, normalization and an encoding.</summary>
public sealed class ImageTrainingData : ITrainingData
{
    private readonly ImageSet train, validation, test;
    private readonly (double Mean, double Std) statistics;

    /// <summary>Creates the data; <paramref name="validationFraction"/> of the training split is held out (seeded).</summary>
    public ImageTrainingData(ImageDataset data, int batchSize, ulong seed, ImageEncoding encoding = ImageEncoding.Constant, int steps = 3,
                             Normalization normalization = Normalization.UnitRange, double validationFraction = 0.1, bool flatten = true,
                             int? limitTrain = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        BatchSize = Validate.AtLeast(batchSize, "batch_size", 1);
        Seed = seed;
        Encoding = Validate.Defined(encoding, "encoding");
        EncodingSteps = Validate.AtLeast(steps, "steps", 1);
        Normalization = encoding == ImageEncoding.Constant ? normalization : Normalization.UnitRange;
        ImageSet full = limitTrain is { } l && l < data.Train.Count ? data.Train.Subset(Batches.Limit(data.Train.Count, l, seed)) : data.Train;
        (train, validation) = validationFraction > 0 ? Batches.Split(full, validationFraction, seed) : (full, full.Subset([]));
        if (train.Count == 0 || validationFraction > 0 && validation.Count == 0)
            throw new ArgumentException($"{data.Source}: {full.Count} training images leave {train.Count} for training and {validation.Count} for validation ({validationFraction:P0}, seeded); every split needs at least one (use --limit-train of at least 10)");
        test = data.Test;
        statistics = train.PixelStatistics();
        Name = data.Train.Name.Split('/')[0];
        int channels = encoding == ImageEncoding.Retina ? 2 : 1;
        InputShape = flatten ? [channels * train.Pixels] : [channels, train.Height, train.Width];
    }

    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public int Classes => train.Classes;
    /// <inheritdoc />
    public int TrainCount => train.Count;
    /// <inheritdoc />
    public int? Steps => Encoding == ImageEncoding.Constant ? EncodingSteps : null;
    /// <inheritdoc />
    public long[] InputShape { get; }
    /// <inheritdoc />
    public int BatchSize { get; }
    /// <summary>Seed of the split, shuffles and random encodings.</summary>
    public ulong Seed { get; }
    /// <summary>The encoding.</summary>
    public ImageEncoding Encoding { get; }
    /// <summary>Time steps.</summary>
    public int EncodingSteps { get; }
    /// <summary>Pixel normalization (constant encoding only; spike encodings need [0, 1]).</summary>
    public Normalization Normalization { get; }

    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Train(int epoch) => Encode(train, Seed * 1_000_003UL + (ulong)epoch, shuffle: true);
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Validation() => Encode(validation, Seed + 7, shuffle: false);
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Test() => Encode(test, Seed + 11, shuffle: false);

    private IEnumerable<(Tensor X, Tensor Y)> Encode(ImageSet set, ulong seed, bool shuffle)
    {
        if (set.Count == 0) yield break;
        using var generator = new Generator(seed);
        foreach (var (x, y) in Batches.Images(set, BatchSize, shuffle ? seed : null, Normalization, statistics))
        {
            Tensor input = Encoding switch
            {
                ImageEncoding.Poisson => Encoders.Poisson(x, EncodingSteps, generator),
                ImageEncoding.Latency => Encoders.Latency(x, EncodingSteps),
                ImageEncoding.Retina => Encoders.Retina(x, EncodingSteps).flatten(2),
                _ => x,
            };
            long leading = Encoding == ImageEncoding.Constant ? 1 : 2;
            long[] shape = [.. input.shape.Take((int)leading), .. InputShape];
            yield return (input.reshape(shape), y);
        }
    }
}
