using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Surrogates;

namespace SpikeInit.Training;

/// <summary>What a training run is made of: which architecture on which data, with which initialization and options.</summary>
public sealed record RunConfiguration
{
    /// <summary>Architecture preset (see <see cref="TrainingPresets.Architectures"/>).</summary>
    public string Architecture { get; init; } = "rossbroich-shallow";
    /// <summary>Dataset: randman, fashion-mnist, mnist, an SHD .h5 file, or a folder of IDX files.</summary>
    public string Dataset { get; init; } = "randman";
    /// <summary>Initialization method (null: the architecture's paper default).</summary>
    public string? Init { get; init; }
    /// <summary>Seed of weights, data order and encodings.</summary>
    public long Seed { get; init; } = 42;
    /// <summary>Training options (null: the preset's).</summary>
    public TrainingOptions? Options { get; init; }
    /// <summary>Batch size (null: the preset's).</summary>
    public int? Batch { get; init; }
    /// <summary>Time steps for image encodings (null: the preset's).</summary>
    public int? Steps { get; init; }
    /// <summary>Use at most this many training images (null: all).</summary>
    public int? LimitTrain { get; init; }
    /// <summary>Data cache folder (null: default).</summary>
    public string? Cache { get; init; }
    /// <summary>Depth override for deep presets.</summary>
    public int? Depth { get; init; }
}

/// <summary>A built run: network (initialized), data and options.</summary>
/// <param name="Network">The initialized network.</param>
/// <param name="Data">The data.</param>
/// <param name="Options">Training options.</param>
/// <param name="Init">Initialization method used.</param>
/// <param name="Initialization">Per-layer initialization records.</param>
public sealed record PreparedRun(SpikingNetwork Network, ITrainingData Data, TrainingOptions Options, string Init,
                                 IReadOnlyList<LayerInitialization> Initialization);

/// <summary>
/// The papers' training set-ups as presets: Micheli's L × n LIF MLP, Ding's 5-layer conv net, Rossbroich's shallow and
/// deep current-based networks, Herranz-Celotti's 2-layer recurrent LIF network.
/// </summary>
public static class TrainingPresets
{
    /// <summary>Architecture names and what they are.</summary>
    public static IReadOnlyDictionary<string, string> Architectures { get; } = new Dictionary<string, string>
    {
        ["micheli-mlp"] = "Micheli: encoding LIF layer + 10 x 600 LIF (theta 1, beta 0.5, arctan), T = 3, spike-count readout; Adam 1e-3 cosine; init micheli",
        ["ding-conv"] = "Ding: c3x32-pool-c3x32-pool-fc500-fc100-fc10 of k/lambda IF (0.8, 0.2, 1) with bias, T = 20 constant input; Adam 1e-3 cosine; init asymptote",
        ["rossbroich-shallow"] = "Rossbroich: 1 x 128 current-based LIF, max-over-time readout (tau_mem = trial length); Adam 5e-2; UB/LB regularizers; init fluctuation sigma_U = 1",
        ["rossbroich-deep"] = "Rossbroich: 6 x 128 current-based LIF (deep), same readout and training; init fluctuation sigma_U = 1",
        ["hc-recurrent"] = "Herranz-Celotti: 2 x 128 recurrent minus-reset LIF (alpha 0.9, fast-sigmoid), mean-membrane readout; AdaBelief 3.16e-4, clip 1, label smoothing 0.1, SELT; init stability",
    };

    /// <summary>Builds the data, network and options of a configuration and initializes the network.</summary>
    public static PreparedRun Prepare(RunConfiguration config, DataCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Architectures.ContainsKey(config.Architecture))
            throw new ArgumentException($"unknown architecture '{config.Architecture}'; choose one of {string.Join(", ", Architectures.Keys)}");
        catalog ??= new DataCatalog(config.Cache);
        ulong seed = (ulong)config.Seed;
        string arch = config.Architecture;
        ITrainingData data = Data(config, catalog, arch, seed);
        int inputs = (int)data.InputShape.Aggregate(1L, (a, b) => a * b);
        (NetworkSpec spec, string init, InputStatistics stats) = arch switch
        {
            "micheli-mlp" => (Networks.Architectures.DeepDense(inputs, 600, config.Depth ?? 10, new LifNeuron(new LifParameters(0.5, 1.0)), encoder: true, outputs: data.Classes),
                              "micheli", InputStatistics.Gaussian()),
            "ding-conv" => (Networks.Architectures.DingConvMnist(), "asymptote", InputStatistics.Gaussian(0.13, 0.095)),
            "hc-recurrent" => (Networks.Architectures.ShallowRecurrent(inputs, 128, data.Classes), "stability", InputStatistics.Spikes(0.01, 0.01)),
            _ => (Networks.Architectures.CurrentBased(inputs, [.. Enumerable.Repeat(128, arch == "rossbroich-deep" ? config.Depth ?? 6 : 1)], data.Classes),
                  "fluctuation", data is SpikeTrainingData s ? InputStatistics.Poisson(s.RateHz, s.Dt) : InputStatistics.Poisson(5, 2e-3)),
        };
        TrainingOptions options = Options(arch);
        if (arch == "ding-conv" && data.InputShape.Length != 3) throw new ArgumentException("ding-conv needs an image dataset (mnist, fashion-mnist)");
        string method = config.Init ?? init;
        var net = SpikingNetwork.Create(spec, new TorchSharp.torch.Generator(seed));
        using var generator = new TorchSharp.torch.Generator(seed + 1);
        IReadOnlyList<LayerInitialization> records = NetworkInitializer.Initialize(net, Initializers.Create(method), stats, generator);
        return new PreparedRun(net, data, config.Options ?? options, method, records);
    }

    /// <summary>The training options of an architecture preset (the papers' optimizer settings, epochs reduced for CPU).</summary>
    public static TrainingOptions Options(string architecture) => architecture switch
    {
        "micheli-mlp" => new TrainingOptions { Epochs = 20, LearningRate = 1e-3, Schedule = new Schedule(ScheduleKind.Cosine) },
        "ding-conv" => new TrainingOptions { Epochs = 10, LearningRate = 1e-3, Schedule = new Schedule(ScheduleKind.Cosine) },
        "hc-recurrent" => new TrainingOptions { Epochs = 20, LearningRate = 3.16e-4, Optimizer = OptimizerKind.AdaBelief, ClipNorm = 1, LabelSmoothing = 0.1, Regularizers = [new Selt(0.8)] },
        "rossbroich-shallow" or "rossbroich-deep" => new TrainingOptions { Epochs = 20, LearningRate = 5e-2, Regularizers = [new UpperBoundRate(0.1, 4), new LowerBoundRate(100, 1e-3)] },
        _ => throw new ArgumentException($"unknown architecture '{architecture}'; choose one of {string.Join(", ", Architectures.Keys)}"),
    };

    private static ITrainingData Data(RunConfiguration config, DataCatalog catalog, string arch, ulong seed)
    {
        string d = config.Dataset;
        if (d.Equals("randman", StringComparison.OrdinalIgnoreCase))
        {
            if (arch is "micheli-mlp" or "ding-conv" or "hc-recurrent") throw new ArgumentException($"{arch} trains on images (mnist, fashion-mnist), not randman");
            var (train, valid, test) = catalog.Randman(1);
            return new SpikeTrainingData(train, valid, test, config.Batch ?? 250, seed);
        }
        if (d.EndsWith(".h5", StringComparison.OrdinalIgnoreCase))
        {
            SpikeSet all = Shd.Load(d);
            string testFile = d.Replace("train", "test", StringComparison.Ordinal);
            SpikeSet test = File.Exists(testFile) && testFile != d ? Shd.Load(testFile, classes: all.Classes) : all;
            return new SpikeTrainingData(all, all with { Rasters = [], Labels = [] }, test, config.Batch ?? 256, seed);
        }
        ImageDataset images = Directory.Exists(d) ? catalog.LoadImages(Path.GetFileName(d), d) : catalog.LoadImages(d);
        return arch switch
        {
            "ding-conv" => new ImageTrainingData(images, config.Batch ?? 32, seed, ImageEncoding.Constant, config.Steps ?? 20, Normalization.UnitRange, flatten: false, limitTrain: config.LimitTrain),
            "hc-recurrent" => new ImageTrainingData(images, config.Batch ?? 256, seed, ImageEncoding.Latency, config.Steps ?? 100, limitTrain: config.LimitTrain),
            "micheli-mlp" => new ImageTrainingData(images, config.Batch ?? 128, seed, ImageEncoding.Constant, config.Steps ?? 3, Normalization.Standardized, limitTrain: config.LimitTrain),
            _ => new ImageTrainingData(images, config.Batch ?? 128, seed, ImageEncoding.Poisson, config.Steps ?? 20, limitTrain: config.LimitTrain),
        };
    }
}
