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
    /// <param name="directory">The folder.</param>
    /// <param name="name">The dataset's name.</param>
    /// <param name="classes">Number of classes (labels 0..classes−1).</param>
    /// <param name="maxBytes">Cap on the data bytes of the four files together (each header is checked against what is left).</param>
    public static ImageDataset Load(string directory, string name, int classes = 10, long maxBytes = Idx.DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"data folder {directory} does not exist");
        string[] paths = [.. Stems.Select(s => Find(directory, s) ?? throw new FileNotFoundException($"{directory} has no {s} (or {s}.gz)"))];
        long left = maxBytes;
        IdxArray Next(string path)
        {
            IdxArray a = Idx.Read(path, Math.Max(left, 1));
            left -= a.Data.Length;
            return a;
        }
        IdxArray trainLabels = Next(paths[1]), testLabels = Next(paths[3]);   // labels first: they are small
        ImageSet train = Pair(name + "/train", paths[0], Next(paths[0]), paths[1], trainLabels, classes);
        ImageSet test = Pair(name + "/test", paths[2], Next(paths[2]), paths[3], testLabels, classes);
        if (train.Height != test.Height || train.Width != test.Width)
            throw new InvalidDataException($"{directory}: train images are {train.Height}x{train.Width} but test images {test.Height}x{test.Width}");
        return new ImageDataset(train, test, directory);
    }

    private static ImageSet Pair(string name, string imagesPath, IdxArray images, string labelsPath, IdxArray labels, int classes)
    {
        try
        {
            return ImageSet.FromIdx(name, images, labels, classes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{imagesPath} with {labelsPath}: {e.Message}", e);
        }
    }
}
