using System.Globalization;

namespace SpikeInit.Data;

/// <summary>
/// N-MNIST from a root folder with <c>Train/0..9/*.bin</c> and <c>Test/0..9/*.bin</c> (<see cref="NMnist"/>): recordings
/// framed into T time bins <c>[T, 2, 34, 34]</c> (<see cref="NMnistTrainingData"/>).
/// </summary>
public sealed class NMnistSource(string name, IReadOnlyList<string> aliases, string description, string root, string? howToGet = null)
    : StoredDatasetSource(name, aliases, description, root, howToGet)
{
    /// <summary>Whether a folder looks like an N-MNIST root: it has <c>Train</c> and <c>Test</c> subfolders.</summary>
    public static bool IsRoot(string folder) =>
        Directory.Exists(Path.Combine(folder, "Train")) && Directory.Exists(Path.Combine(folder, "Test"));

    /// <inheritdoc />
    public override DataForm Form => DataForm.Events;
    /// <inheritdoc />
    public override bool Available => IsRoot(DataPath);
    /// <inheritdoc />
    public override int? ReferenceBatch => null;
    /// <inheritdoc />
    public override int Classes => 10;
    /// <inheritdoc />
    public override long[] SampleShape => [2, NMnist.Size, NMnist.Size];

    /// <inheritdoc />
    public override IDatasetSource At(string location) => new NMnistSource(Name, Aliases, Description, location);

    /// <inheritdoc />
    public override ITrainingData Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new NMnistTrainingData(Split("Train"), Split("Test"), request.BatchSize, request.Seed, request.Steps, request.Flatten,
                                      limitTrain: request.LimitTrain, name: Name);
    }

    /// <inheritdoc />
    public override DatasetOverview Show(string picture, ulong seed)
    {
        var splits = new List<SplitCounts>();
        foreach (string split in (string[])["Train", "Test"])
        {
            var items = Split(split);
            var counts = new int[Classes];
            foreach (var (_, label) in items) counts[label]++;
            splits.Add(new SplitCounts(split, items.Count, counts));
        }
        var first = Split("Train")[0];
        AddressEvent[] events = NMnist.Read(first.Path);
        return new DatasetOverview(splits, string.Create(CultureInfo.InvariantCulture,
            $"{first.Path}: {events.Length} events over {(events.Length == 0 ? 0 : events[^1].Microseconds / 1000.0):G4} ms (label {first.Label})"), null);
    }

    private IReadOnlyList<(string Path, int Label)> Split(string split) => NMnist.Index(Path.Combine(Require(), split));
}
