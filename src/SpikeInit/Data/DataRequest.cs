namespace SpikeInit.Data;

/// <summary>
/// How a training run wants its data: batch size and seed (split, shuffles, random encodings), and for images and events
/// the encoding, the time steps, the pixel normalization, whether samples are flattened, and a cap on training samples.
/// Spike-train datasets use only the batch size and the seed.
/// </summary>
public sealed record DataRequest
{
    /// <summary>Samples per batch.</summary>
    public required int BatchSize { get; init => field = Validate.AtLeast(value, "batch_size", 1); }
    /// <summary>Seed of the validation split, the shuffles and the random encodings.</summary>
    public ulong Seed { get; init; }
    /// <summary>How images become input over time.</summary>
    public ImageEncoding Encoding { get; init; } = ImageEncoding.Constant;
    /// <summary>Time steps of an image encoding, or time bins of event frames.</summary>
    public int Steps { get; init => field = Validate.AtLeast(value, "steps", 1); } = 3;
    /// <summary>Pixel normalization (constant encoding only).</summary>
    public Normalization Normalization { get; init; } = Normalization.UnitRange;
    /// <summary>Flatten each sample to one vector (dense networks) instead of <c>[channels, height, width]</c>.</summary>
    public bool Flatten { get; init; } = true;
    /// <summary>Use at most this many training samples (null: all).</summary>
    public int? LimitTrain { get; init => field = value is { } l ? Validate.AtLeast(l, "limit_train", 1) : null; }
    /// <summary>
    /// Fraction of the training file held out (seeded) as the test split, for recordings without their own test file
    /// (null: the test file must exist; SHD/SSC are never tested on their training data).
    /// </summary>
    public double? TestFraction { get; init => field = value is { } f ? Validate.InRange(f, "test_split", 0, 1, lowOpen: true, highOpen: true) : null; }
}
