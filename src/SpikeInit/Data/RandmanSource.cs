using System.Globalization;

namespace SpikeInit.Data;

/// <summary>
/// Randman with the paper's parameters (<see cref="RandmanParameters"/>; or other ones under another name, e.g. the
/// SHD-shaped <see cref="RandmanParameters.ShdShaped"/>), generated in memory. Training always uses the dataset of seed 1
/// (Rossbroich et al.'s fixed task; the run's seed orders the batches); <see cref="Show"/> shows the dataset of the seed it is given.
/// </summary>
/// <param name="catalog">Where generated sets are kept for reuse.</param>
/// <param name="name">The dataset's name (default <c>randman</c>).</param>
/// <param name="parameters">Its parameters (default: the paper's).</param>
public sealed class RandmanSource(DataCatalog catalog, string name = "randman", RandmanParameters? parameters = null) : IDatasetSource
{
    private readonly DataCatalog catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    /// <summary>The seed of the dataset a run trains on.</summary>
    public const ulong TrainingSeed = 1;

    private readonly RandmanParameters Parameters = parameters ?? new();

    /// <inheritdoc />
    public string Name => name;
    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => [];
    /// <inheritdoc />
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Randman: {Parameters.Units} units, {Parameters.Classes} classes, {(Parameters.SpikesPerUnit == 1 ? "one spike" : $"{Parameters.SpikesPerUnit} spikes")} per unit in {Parameters.Steps * Parameters.StepFraction * Parameters.Dt * 1000:G4} ms + {Parameters.Steps * (1 - Parameters.StepFraction) * Parameters.Dt * 1000:G4} ms silence; {Parameters.Classes * Parameters.SamplesPerClass * 8 / 10}/{Parameters.Classes * Parameters.SamplesPerClass / 10}/{Parameters.Classes * Parameters.SamplesPerClass / 10}");
    /// <inheritdoc />
    public DataForm Form => DataForm.Synthetic;
    /// <inheritdoc />
    public bool Available => true;
    /// <inheritdoc />
    public string Location => "generated from a seed (built in)";
    /// <inheritdoc />
    public int? ReferenceBatch => 250;
    /// <inheritdoc />
    public int Classes => Parameters.Classes;
    /// <inheritdoc />
    public long[] SampleShape => [Parameters.Units];

    /// <inheritdoc />
    public IDatasetSource At(string location) => throw new ArgumentException($"{name} is generated from a seed and reads no files (drop --data-dir {location})");

    /// <inheritdoc />
    public ITrainingData Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (train, valid, test) = Sets(TrainingSeed);
        return new SpikeTrainingData(train, valid, test, request.BatchSize, request.Seed);
    }

    /// <inheritdoc />
    public DatasetOverview Show(string picture, ulong seed)
    {
        var (train, valid, test) = Sets(seed);
        DataPlots.Rasters(train, picture);
        return new DatasetOverview([.. new[] { train, valid, test }.Select(s => new SplitCounts(s.Name, s.Count, s.ClassCounts()))],
                                   string.Create(CultureInfo.InvariantCulture, $"{train.Steps} steps of {train.Dt * 1000:G3} ms, {train.Units} units, mean input rate {train.MeanRateHz():G4} Hz, seed {seed}"),
                                   picture);
    }

    /// <summary>The three splits of <paramref name="seed"/>, named after this source (<c>NAME/train</c>, …).</summary>
    private (SpikeSet Train, SpikeSet Validation, SpikeSet Test) Sets(ulong seed)
    {
        var (train, valid, test) = catalog.Randman(Parameters with { Seed = seed });
        SpikeSet Named(SpikeSet s) => s with { Name = name + s.Name[s.Name.IndexOf('/', StringComparison.Ordinal)..] };
        return (Named(train), Named(valid), Named(test));
    }
}
