namespace SpikeInit.Data;

/// <summary>
/// A dataset read from a file or folder: either a named place (in the cache or where a package installs it) with how to
/// get the data when it is not there, or an explicit path given by the user (whose reader names what is missing).
/// </summary>
public abstract class StoredDatasetSource : IDatasetSource
{
    /// <summary>Sets what every stored dataset has.</summary>
    /// <param name="name">Name used on the command line.</param>
    /// <param name="aliases">Other names.</param>
    /// <param name="description">What it is.</param>
    /// <param name="dataPath">The file or folder.</param>
    /// <param name="howToGet">How to get the data when <paramref name="dataPath"/> lacks it (null: an explicit path).</param>
    protected StoredDatasetSource(string name, IReadOnlyList<string> aliases, string description, string dataPath, string? howToGet)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Aliases = aliases ?? throw new ArgumentNullException(nameof(aliases));
        Description = description ?? throw new ArgumentNullException(nameof(description));
        DataPath = dataPath ?? throw new ArgumentNullException(nameof(dataPath));
        HowToGet = howToGet;
    }

    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; }
    /// <inheritdoc />
    public string Description { get; }
    /// <summary>The file or folder the data is read from.</summary>
    public string DataPath { get; }
    /// <summary>How to get the data when it is not at <see cref="DataPath"/> (null: an explicit path).</summary>
    public string? HowToGet { get; }
    /// <inheritdoc />
    public string Location => Available || HowToGet is null ? DataPath : HowToGet;
    /// <inheritdoc />
    public abstract DataForm Form { get; }
    /// <inheritdoc />
    public abstract bool Available { get; }
    /// <inheritdoc />
    public abstract int? ReferenceBatch { get; }
    /// <inheritdoc />
    public abstract int Classes { get; }
    /// <inheritdoc />
    public abstract long[] SampleShape { get; }

    /// <inheritdoc />
    public abstract IDatasetSource At(string location);
    /// <inheritdoc />
    public abstract ITrainingData Load(DataRequest request);
    /// <inheritdoc />
    public abstract DatasetOverview Show(string picture, ulong seed);

    /// <summary><see cref="DataPath"/>, after checking that a named dataset is there (an explicit path is checked by its reader).</summary>
    protected string Require() =>
        HowToGet is not null && !Available ? throw new FileNotFoundException($"{Name} is not in {DataPath}: {HowToGet}, or pass --data-dir") : DataPath;
}
