namespace SpikeInit.Data;

/// <summary>
/// MNIST-family datasets in the four standard IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each plain or <c>.gz</c>): MNIST, Fashion-MNIST, KMNIST.
/// </summary>
public static class MnistFamily
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> installs Fashion-MNIST.</summary>
    public const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>The standard file stems.</summary>
    public static readonly string[] Stems = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The path of a standard file in a folder (plain or .gz), or null.</summary>
    public static string? Find(string directory, string stem)
    {
        foreach (string candidate in new[] { stem, stem + ".gz" })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Whether a folder holds all four files.</summary>
    public static bool IsPresent(string directory) => Directory.Exists(directory) && Stems.All(s => Find(directory, s) is not null);

    /// <summary>Loads the four files of a folder.</summary>
    public static ImageDataset Load(string directory, string name, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"data folder {directory} does not exist");
        string[] paths = [.. Stems.Select(s => Find(directory, s) ?? throw new FileNotFoundException($"{directory} has no {s} (or {s}.gz)"))];
        ImageSet train = ImageSet.FromIdx(name + "/train", Idx.Read(paths[0]), Idx.Read(paths[1]), classes);
        ImageSet test = ImageSet.FromIdx(name + "/test", Idx.Read(paths[2]), Idx.Read(paths[3]), classes);
        if (train.Height != test.Height || train.Width != test.Width)
            throw new InvalidDataException($"{directory}: train images are {train.Height}x{train.Width} but test images {test.Height}x{test.Width}");
        return new ImageDataset(train, test, directory);
    }
}
