using System.Globalization;

namespace SpikeInit.Data;

/// <summary>
/// Spiking Heidelberg Digits or Spiking Speech Commands from an HDF5 file (<c>.h5</c> or <c>.hdf5</c>, <see cref="Shd"/>):
/// the file is the training split, validation is empty, and the test split is the sibling file with <c>train</c> replaced by
/// <c>test</c> in its name (the file itself when there is none).
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

    /// <inheritdoc />
    public override ITrainingData Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SpikeSet all = train.Value;
        string testFile = Path.Combine(Path.GetDirectoryName(DataPath) ?? "", Path.GetFileName(DataPath).Replace("train", "test", StringComparison.Ordinal));
        SpikeSet test = File.Exists(testFile) && testFile != DataPath ? Shd.Load(testFile, classes: all.Classes) : all;
        return new SpikeTrainingData(all, all with { Rasters = [], Labels = [] }, test, request.BatchSize, request.Seed);
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
