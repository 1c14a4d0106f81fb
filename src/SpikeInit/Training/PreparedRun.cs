using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Runtime;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>A built run: network (initialized), data and options.</summary>
/// <param name="Network">The initialized network.</param>
/// <param name="Data">The data.</param>
/// <param name="Options">Training options.</param>
/// <param name="Init">Initialization method used.</param>
/// <param name="Initialization">Per-layer initialization records.</param>
public sealed record PreparedRun(SpikingNetwork Network, ITrainingData Data, TrainingOptions Options, string Init,
                                 IReadOnlyList<LayerInitialization> Initialization)
{
    /// <summary>The initial-rate pre-training's outcome when the configuration asked for it (<see cref="RunConfiguration.TargetInitialRate"/>), else null.</summary>
    public InitialRateReport? InitialRate { get; init; }

    /// <summary>Per-layer calibration records when the configuration asked for calibration (else empty).</summary>
    public IReadOnlyList<LayerCalibration> Calibration { get; init; } = [];

    /// <summary>
    /// Builds the data, network and options of a configuration from its preset and initializes the network (weights
    /// seeded with the configuration's seed, the initializer's draws with seed + 1), applying the surrogates the
    /// initialization recommends unless <see cref="RunConfiguration.KeepSurrogates"/>, and starting the membranes where
    /// <see cref="RunConfiguration.InitialMembrane"/> says; then, when asked, the initial-rate pre-training (<see cref="InitialRatePhase"/>).
    /// </summary>
    public static PreparedRun Prepare(RunConfiguration config, DataCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        TrainingPreset preset = TrainingPresets.Get(config.Architecture);
        catalog ??= new DataCatalog(config.Cache);
        ITrainingData data = LoadData(preset, config, catalog);
        ulong seed = (ulong)config.Seed;
        string method = config.Init ?? preset.Init;
        var net = SpikingNetwork.Create(preset.Build(data, config), new Generator(seed));
        using var generator = new Generator(seed + 1);
        ITrainingData loaded = data is TimeRepeatedData repeated ? repeated.Inner : data;   // statistics per step are the same
        IReadOnlyList<LayerInitialization> records = NetworkInitializer.Initialize(net, Initializers.Create(method), preset.InputStatistics(loaded), generator,
                                                                                 applySurrogates: !config.KeepSurrogates, initialMembrane: config.InitialMembrane);
        net.MoveTo(ComputeDevice.Parse(config.Device));   // initialized on the CPU: the same weights on every device
        IReadOnlyList<LayerCalibration> calibration = config.Calibrate is { } target
            ? SpikeInit.Initialization.Calibration.Run(net, data.Train(0).First().X, data.Steps, CalibrationTarget.Parse(target))
            : [];
        InitialRateReport? initialRate = config.TargetInitialRate is { } rate ? InitialRatePhase.Run(net, data, rate) : null;
        return new PreparedRun(net, data, config.Options ?? preset.Options, method, records) { Calibration = calibration, InitialRate = initialRate };
    }

    /// <summary>The data of a configuration: its dataset (or the preset's), loaded the way the preset reads it, each step presented <see cref="RunConfiguration.TimeRepeat"/> times.</summary>
    public static ITrainingData LoadData(TrainingPreset preset, RunConfiguration config, DataCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        IDatasetSource source = catalog.Resolve(config.Dataset ?? preset.DefaultDataset(catalog, config.DataDirectory), config.DataDirectory);
        if (!preset.Forms.Contains(source.Form))
            throw new ArgumentException($"{preset.Name} trains on {string.Join(" or ", preset.Forms.Select(EnumNames.Of))} "
                                        + $"({string.Join(", ", catalog.Sources.Where(s => preset.Forms.Contains(s.Form)).Select(s => s.Name))}), "
                                        + $"not {source.Name} ({EnumNames.Of(source.Form)})");
        return TimeRepeatedData.Of(source.Load(preset.Request(source, config)), config.TimeRepeat ?? 1);
    }
}
