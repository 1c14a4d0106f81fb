using System.Globalization;

namespace SpikeInit.Data;

/// <summary>
/// Spiking Heidelberg Digits or Spiking Speech Commands from an HDF5 file (<c>.h5</c> or <c>.hdf5</c>, <see cref="Shd"/>):
/// the file gives the training and (seeded, <see cref="ValidationFraction"/>) validation splits, and the test split is the
/// sibling file with <c>train</c> replaced by <c>test</c> in its name, which must exist (or an explicit held-out fraction).
/// </summary>
public sealed class ShdSource : StoredDatasetSource
{
    private readonly Lazy<SpikeSet> train;

    /// <summary>A dataset in <paramref name="file"/>; <paramref name="howToGet"/> tells how to get it when the file is absent
    /// (null: an explicit file).</summary>
    public ShdSource(string name, IReadOnlyList<string> aliases, string description, string file, string? howToGet = null)
        : base(name, aliases, description, file, howToGet) => train = new Lazy<SpikeSet>(() => Shd.Load(Require()));

    /// <summary>Whether a path names an SHD/SSC file: it ends in <c>.h5</c> or <c>.hdf5</c>.</summary>
    public static bool IsFile(string path) =>
        path is not null && (path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase));

    /// <summary>The training file <c>STEM_train.h5</c> (or <c>.hdf5</c>) in a folder: the one that exists, else the <c>.h5</c> name.</summary>
    public static string TrainingFile(string folder, string stem)
    {
        string h5 = Path.Combine(folder, stem + "_train.h5"), hdf5 = Path.ChangeExtension(h5, ".hdf5");
        return !File.Exists(h5) && File.Exists(hdf5) ? hdf5 : h5;
    }

    /// <inheritdoc />
    public override DataForm Form => DataForm.Recordings;
    /// <inheritdoc />
    public override bool Available => File.Exists(DataPath);
    /// <inheritdoc />
    public override int? ReferenceBatch => 256;
    /// <inheritdoc />
    public override int Classes => train.Value.Classes;
    /// <inheritdoc />
    public override long[] SampleShape => [train.Value.Units];

    /// <inheritdoc />
    public override IDatasetSource At(string location) =>
        new ShdSource(Name, Aliases, Description, Directory.Exists(location) ? TrainingFile(location, Name) : location);

    /// <summary>Fraction of the training file held out (seeded) for validation.</summary>
    public const double ValidationFraction = 0.1;

    /// <summary>The test file of a training file: its name with the last <c>train</c> replaced by <c>test</c>, in the same case (null when the name has none).</summary>
    public static string? TestFile(string trainingFile)
    {
        ArgumentNullException.ThrowIfNull(trainingFile);
        string name = Path.GetFileName(trainingFile);
        int at = name.LastIndexOf("train", StringComparison.OrdinalIgnoreCase);
        string test = name[at..(at + 5)] == "TRAIN" ? "TEST" : "test";
        return at < 0 ? null : Path.Combine(Path.GetDirectoryName(trainingFile) ?? "", name[..at] + test + name[(at + 5)..]);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Training and validation come from the training file: a seeded <see cref="ValidationFraction"/> of it (after
    /// <see cref="DataRequest.LimitTrain"/>) is held out. The test split is the test file (<see cref="TestFile"/>), which
    /// must exist, or, when <see cref="DataRequest.TestFraction"/> is set, a seeded fraction of the training file held
    /// out before validation. An empty split is an error here, before any training.
    /// </remarks>
    public override ITrainingData Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SpikeSet all = train.Value;
        string? testFile = TestFile(DataPath);
        SpikeSet pool = all, test;
        string testSource;
        if (request.TestFraction is { } fraction)
        {
            var (rest, held) = Batches.Split(all.Count, fraction, request.Seed ^ 0x7E57UL);
            (pool, test) = (all.Subset(rest), all.Subset(held, all.Name + "/test"));
            testSource = string.Create(CultureInfo.InvariantCulture, $"{test.Count} test samples held out of {DataPath} (test_split {fraction:G3}, seed {request.Seed})");
        }
        else
        {
            if (testFile is null || testFile == DataPath || !File.Exists(testFile))
                throw new FileNotFoundException($"{DataPath}: no test file {testFile ?? "(the name has no 'train' to replace by 'test')"}; "
                                                + "SHD/SSC are tested on their own test file (e.g. shd_test.h5 next to shd_train.h5), or hold out a test split explicitly");
            test = Shd.Load(testFile, all.Steps, all.Dt, all.Units, all.Classes);
            testSource = $"{test.Count} test samples from {testFile}";
        }
        if (request.LimitTrain is { } limit && limit < pool.Count) pool = pool.Subset(Batches.Limit(pool.Count, limit, request.Seed));
        var (t, v) = Batches.Split(pool.Count, ValidationFraction, request.Seed);
        if (t.Length == 0 || v.Length == 0 || test.Count == 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{DataPath}: {pool.Count} training samples leave {t.Length} for training and {v.Length} for validation ({ValidationFraction:P0}, seeded) and {test.Count} for testing; every split needs at least one sample (use a larger file or --limit-train of at least 10)"));
        SpikeSet trainSplit = pool.Subset(t, all.Name + "/train"), validation = pool.Subset(v, all.Name + "/validation");
        string splits = string.Create(CultureInfo.InvariantCulture,
            $"{trainSplit.Count} training and {validation.Count} validation samples from {DataPath} ({ValidationFraction:P0} held out, seed {request.Seed}); {testSource}");
        return new SpikeTrainingData(trainSplit, validation, test, request.BatchSize, request.Seed, splits);
    }

    /// <inheritdoc />
    public override DatasetOverview Show(string picture, ulong seed)
    {
        SpikeSet s = train.Value;
        DataPlots.Rasters(s, picture);
        return new DatasetOverview([new SplitCounts(s.Name, s.Count, s.ClassCounts())],
                                   string.Create(CultureInfo.InvariantCulture, $"{s.Steps} steps of {s.Dt * 1000:G3} ms, {s.Units} channels, mean input rate {s.MeanRateHz():G4} Hz"),
                                   picture);
    }
}
