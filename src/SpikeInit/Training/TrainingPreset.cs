using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;

namespace SpikeInit.Training;

/// <summary>How a preset's network reads its data by default (each can be overridden in <see cref="RunConfiguration"/>).</summary>
/// <param name="Encoding">How images become input over time.</param>
/// <param name="Steps">Time steps of the image encoding (time bins of event frames).</param>
/// <param name="Batch">Batch size, unless the dataset brings its own (<see cref="IDatasetSource.ReferenceBatch"/>).</param>
/// <param name="Normalization">Pixel normalization for the constant encoding.</param>
/// <param name="Flatten">Whether samples are flattened to vectors (dense networks) or kept as <c>[channels, height, width]</c>.</param>
public sealed record PresetInput(ImageEncoding Encoding, int Steps, int Batch, Normalization Normalization = Normalization.UnitRange, bool Flatten = true);

/// <summary>
/// A paper's training set-up as data: its network, the data it trains on and how it reads them, its initialization
/// (and the input statistics the initializer assumes), and its optimizer settings. <see cref="TrainingPresets.All"/> lists them.
/// </summary>
public sealed record TrainingPreset
{
    /// <summary>Name used on the command line (<c>--arch</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The paper the set-up comes from.</summary>
    public required string Paper { get; init; }
    /// <summary>The network and training in one line.</summary>
    public required string Description { get; init; }
    /// <summary>The default dataset: the paper's, as available here.</summary>
    public required string Dataset { get; init; }
    /// <summary>Datasets of the same kind to train on when <see cref="Dataset"/> is not on this machine (in order of preference).</summary>
    public IReadOnlyList<string> Alternatives { get; init; } = [];
    /// <summary>What forms of data the network trains on (the first is the paper's).</summary>
    public required IReadOnlyList<DataForm> Forms { get; init; }
    /// <summary>How the network reads the data by default.</summary>
    public required PresetInput Input { get; init; }
    /// <summary>The network for the data and an optional depth override.</summary>
    public required Func<ITrainingData, int?, NetworkSpec> Network { get; init; }
    /// <summary>The network with another LIF reset of its spiking layers (non-resetting readouts keep theirs); null for
    /// presets without LIF neurons.</summary>
    public Func<ITrainingData, int?, LifReset, NetworkSpec>? NetworkWithReset { get; init; }
    /// <summary>
    /// The network for a whole configuration (depth, reset, β, θ, width) for presets whose neuron and width are swept; null:
    /// <see cref="Network"/> / <see cref="NetworkWithReset"/>, and β, θ and width are refused.
    /// </summary>
    public Func<ITrainingData, RunConfiguration, NetworkSpec>? ConfiguredNetwork { get; init; }
    /// <summary>The paper's initialization method.</summary>
    public required string Init { get; init; }
    /// <summary>The input statistics the initializer assumes for the data.</summary>
    public required Func<ITrainingData, InputStatistics> InputStatistics { get; init; }
    /// <summary>The paper's optimizer settings (epochs reduced for CPU).</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>The configuration's network: <see cref="ConfiguredNetwork"/>, else <see cref="Network"/>, or
    /// <see cref="NetworkWithReset"/> when it sets a reset (an error naming the presets that have one when this one has not);
    /// then the configuration's normalization after every hidden connection, its skip connections to the readout, and
    /// learned neuron parameters when it asks.</summary>
    public NetworkSpec Build(ITrainingData data, RunConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        NetworkSpec spec = Configured(data, config);
        if (config.Norm is { } kind)
        {
            int steps = data.Steps ?? config.Steps ?? Input.Steps;
            NetworkSpec normalized = Architectures.Normalized(spec, new NormSpec(Validate.Defined(kind, "norm"), Steps: steps));
            if (normalized.Layers.SequenceEqual(spec.Layers))
                throw new ArgumentException($"norm: {Name} has no hidden dense, conv2d or recurrent layer to normalize");
            spec = normalized;
        }
        if (config.SkipReadout) spec = spec with { SkipReadout = true };
        return config.LearnNeuron ? spec.WithLearnedNeurons() : spec;
    }

    private NetworkSpec Configured(ITrainingData data, RunConfiguration config)
    {
        if (ConfiguredNetwork is not null) return ConfiguredNetwork(data, config);
        foreach (var (option, value) in new (string, object?)[] { ("beta", config.Beta), ("theta", config.Theta), ("width", config.Width) })
            if (value is not null)
                throw new ArgumentException($"{option}: {Name} has no {option} option; --{option} applies to "
                                            + string.Join(", ", TrainingPresets.All.Where(p => p.ConfiguredNetwork is not null).Select(p => p.Name)));
        if (config.Reset is not { } reset) return Network(data, config.Depth);
        if (NetworkWithReset is null)
            throw new ArgumentException($"reset: {Name} has no LIF neurons to reset; --reset applies to "
                                        + string.Join(", ", TrainingPresets.All.Where(p => p.NetworkWithReset is not null).Select(p => p.Name)));
        return NetworkWithReset(data, config.Depth, Validate.Defined(reset, "reset"));
    }

    /// <summary>
    /// The dataset a run uses when none is named: <see cref="Dataset"/> read from <paramref name="dataDirectory"/> when one is
    /// given, else the first of <see cref="Dataset"/> and <see cref="Alternatives"/> that is on this machine; when none is, an
    /// error that says how to get each.
    /// </summary>
    public string DefaultDataset(DataCatalog catalog, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (dataDirectory is not null) return Dataset;
        IDatasetSource[] candidates = [.. ((string[])[Dataset, .. Alternatives]).Select(d => catalog.Resolve(d))];
        return candidates.FirstOrDefault(c => c.Available)?.Name
               ?? throw new ArgumentException($"{Name} trains on {string.Join(" or ", candidates.Select(c => c.Name))}, and none is on this machine: "
                                              + string.Join("; ", candidates.Select(c => $"{c.Name}: {c.Location}")) + "; or pass --dataset and --data-dir");
    }

    /// <summary>How a configuration asks <paramref name="source"/> for its data: the configuration's overrides, else the
    /// dataset's reference batch, else this preset's input defaults.</summary>
    public DataRequest Request(IDatasetSource source, RunConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(config);
        if (config.TestSplit is not null && source is not ShdSource)
            throw new ArgumentException($"--test-split applies only to SHD/SSC .h5 files (a training file without its test file), not to {source.Name}");
        return new DataRequest
        {
            BatchSize = config.Batch ?? source.ReferenceBatch ?? Input.Batch,
            Seed = (ulong)config.Seed,
            Encoding = config.Encoding ?? Input.Encoding,
            Steps = config.Steps ?? Input.Steps,
            Normalization = Input.Normalization,
            Flatten = Input.Flatten,
            LimitTrain = config.LimitTrain,
            TestFraction = config.TestSplit,
        };
    }
}
