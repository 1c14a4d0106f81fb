using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Neurons;

namespace SpikeInit.Training;

/// <summary>
/// The options every training-type command (<c>train</c>, <c>compare</c>, <c>calibrate</c>, <c>diagnose</c>) shares, as
/// data: the command line builds them from <see cref="Specs"/> and turns the values into a <see cref="RunConfiguration"/>
/// with <see cref="Configuration"/> (the preset's defaults where a value is not given).
/// </summary>
public static class RunOptions
{
    private static readonly Dictionary<string, OptimizerKind> OptimizerAliases = new() { ["adamw"] = OptimizerKind.AdamW, ["adabelief"] = OptimizerKind.AdaBelief };

    /// <summary>The shared options.</summary>
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("arch", "Architecture: " + string.Join("; ", TrainingPresets.All.Select(p => $"{p.Name} ({p.Description}; default dataset {string.Join(" or ", [p.Dataset, .. p.Alternatives])})")) + ".", "rossbroich-shallow"),
        new("dataset", $"Dataset: {string.Join(", ", new DataCatalog().Sources.Select(source => source.Name))}, an SHD/SSC .h5 or .hdf5 file, or a folder of IDX files or N-MNIST Train/Test folders (default: the preset's; see 'spikeinit data list')."),
        new("data-dir", "Read the dataset from this folder (IDX files, N-MNIST Train/Test, or SHD/SSC files) instead of its usual place."),
        new("encoding", $"Image encoding: {string.Join(", ", EnumNames.All<ImageEncoding>())} (default: the preset's)."),
        new("epochs", "Supervised epochs (default: the preset's)."),
        new("lr", "Base learning rate (default: the preset's)."),
        new("optimizer", $"{string.Join(", ", EnumNames.All<OptimizerKind>())} (also adamw, adabelief; default: the preset's)."),
        new("schedule", "constant, cosine, or multi-step:E1,E2[:gamma] (also multistep; default: the preset's)."),
        new("batch", "Batch size (default: the dataset's reference batch, else the preset's)."),
        new("steps", "Time steps T of image encodings and N-MNIST frames (default: the preset's)."),
        new("depth", "Hidden layers for micheli-mlp and rossbroich-deep; conv layers (1-3) for rossbroich-csnn."),
        new("beta", "LIF leak beta in [0, 1) of micheli-mlp (default: the preset's 0.5)."),
        new("theta", "LIF threshold theta > 0 of micheli-mlp (default: the preset's 1)."),
        new("width", "Hidden width >= 1: neurons per layer of micheli-mlp (default 600), channels of the first conv block of ding-vgg (default 128)."),
        new("norm", $"Normalization after every hidden dense/conv/recurrent (feed-forward) connection: {string.Join(", ", EnumNames.All<NormKind>())} or none (docs/THEORY.md, normalization layers).", "none"),
        new("skip-readout", "Readout sums linear maps of every hidden layer's spikes (skip connections to the readout, Rossbroich et al.).", Flag: true),
        new("reset", "LIF reset of micheli-mlp and hc-recurrent (as init --reset): " + string.Join(", ", NeuronModels.ResetAliases.Keys) + " (default: the preset's)."),
        new("limit-train", "Use at most N training samples (a reduced run)."),
        new("max-batches", "Batches per epoch cap (0 = all).", "0"),
        new("time-chunk", "Checkpoint BPTT through time in chunks of N steps, or sqrt (chunks of ceil(sqrt T)); recomputes membranes in backward, same results (default 0: off)."),
        new("target-accuracy", "Training accuracy whose first crossing is reported as iterations_to_target.", "0.6"),
        new("priming-epochs", "Homeostatic priming epochs before training (lower-bound term only).", "0"),
        new("cache", "Data cache folder."),
        new("test-split", "Hold out this fraction of an SHD/SSC training file as the test split when it has no test file (seeded; default: the test file must exist)."),
        new("calibrate", "Calibrate on the first training batch after initialization: rate:V (spikes per step), sigma:V (membrane sigma) or keep-first, optionally @input or @recurrent (rescale only those weights of recurrent layers); every hidden layer within 10 %."),
        new("initial-membrane", $"Where membranes start each run: {string.Join(", ", EnumNames.All<InitialMembraneMode>())} (stationary: each LIF layer's predicted stationary distribution, MP-Init).", "rest"),
        new("timerepeat", $"Present each input time step N times in a row (Herranz-Celotti's timerepeat, 2 in their runs; 1 to {RunConfiguration.MaxTimeRepeat}).", "1"),
        new("target-initial-rate", "Before training, fit biases (and learned thresholds) until each hidden layer fires at this probability per step, in (0, 1) (Herranz-Celotti's initial-rate pre-training; before/after rates in summary.json)."),
        new("learn-neuron", "Learn each LIF/ALIF neuron's leak (alpha = sigmoid(lambda)) and threshold (Herranz-Celotti).", Flag: true),
        new("keep-surrogate", "Keep the neurons' surrogates where the initialization recommends others (stability: conditions III/IV); default: apply them.", Flag: true),
        new("tensorboard", "Also log to TensorBoard event files in this folder: loss, accuracy, learning rate and firing rate per hidden layer per iteration and epoch, weight and gradient histograms per epoch (compare: one subfolder INIT-SEED per run)."),
        Runtime.ComputeDevice.Spec,
    ];

    /// <summary>
    /// <paramref name="config"/> for a command that initializes and measures but does not train (calibrate, diagnose):
    /// an option that only acts in training would be silently ignored there, so giving it is an error naming it.
    /// </summary>
    public static RunConfiguration WithoutTraining(RunConfiguration config, string command)
    {
        ArgumentNullException.ThrowIfNull(config);
        TrainingOptions preset = TrainingPresets.Get(config.Architecture).Options, o = config.Options ?? preset;
        string[] given =
        [
            .. o.TensorBoard is null ? [] : new[] { "--tensorboard" },
            .. o.Epochs == preset.Epochs ? [] : new[] { "--epochs" },
            .. o.LearningRate.Equals(preset.LearningRate) ? [] : new[] { "--lr" },
            .. o.Optimizer == preset.Optimizer ? [] : new[] { "--optimizer" },
            .. Equals(o.Schedule, preset.Schedule) ? [] : new[] { "--schedule" },
            .. o.MaxBatches == preset.MaxBatches ? [] : new[] { "--max-batches" },
            .. o.PrimingEpochs == preset.PrimingEpochs ? [] : new[] { "--priming-epochs" },
            .. o.TimeChunk == preset.TimeChunk ? [] : new[] { "--time-chunk" },
        ];
        if (given.Length > 0)
            throw new ArgumentException($"{string.Join(", ", given)} {(given.Length == 1 ? "acts" : "act")} only in training, and {command} does not train; use {(given.Length == 1 ? "it" : "them")} with train or compare");
        return config;
    }

    /// <summary>The configuration the values describe, for <paramref name="seed"/> and initialization <paramref name="init"/>.</summary>
    public static RunConfiguration Configuration(Settings settings, long seed, string? init)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings s = settings.WithDefaults(Specs);
        string arch = s.Text("arch")!;
        return Apply(s, new RunConfiguration { Architecture = arch, Init = init, Seed = seed, Options = TrainingPresets.Get(arch).Options });
    }

    /// <summary>
    /// <paramref name="baseline"/> with the values given in <paramref name="settings"/> put in (no defaults filled in): how a new
    /// run overrides its preset, and how <see cref="RunFolder.Resume"/> sees what a command line would change in a run. Besides
    /// <see cref="Specs"/> it reads <c>init</c> and <c>seed</c>.
    /// </summary>
    public static RunConfiguration Apply(Settings settings, RunConfiguration baseline)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(baseline);
        Settings s = settings;
        TrainingOptions o = baseline.Options ?? TrainingPresets.Get(baseline.Architecture).Options;
        return baseline with
        {
            Architecture = s.Text("arch") ?? baseline.Architecture, Dataset = s.Text("dataset") ?? baseline.Dataset,
            DataDirectory = s.Text("data-dir") ?? baseline.DataDirectory, Init = s.Text("init") ?? baseline.Init,
            Seed = s.Text("seed") is { } seed ? long.Parse(seed, System.Globalization.CultureInfo.InvariantCulture) : baseline.Seed,
            Batch = s.OptionalInteger("batch") ?? baseline.Batch, Steps = s.OptionalInteger("steps") ?? baseline.Steps,
            LimitTrain = s.OptionalInteger("limit-train") ?? baseline.LimitTrain, Cache = s.Text("cache") ?? baseline.Cache,
            Depth = s.OptionalInteger("depth") ?? baseline.Depth, Calibrate = s.Text("calibrate") ?? baseline.Calibrate,
            TestSplit = s.OptionalNumber("test-split") ?? baseline.TestSplit,
            KeepSurrogates = s.Has("keep-surrogate") ? s.Flag("keep-surrogate") : baseline.KeepSurrogates,
            InitialMembrane = s.OptionalChoice<InitialMembraneMode>("initial-membrane") ?? baseline.InitialMembrane,
            Reset = s.OptionalChoice("reset", NeuronModels.ResetAliases) ?? baseline.Reset,
            Beta = s.OptionalNumber("beta") is { } beta ? Validate.InRange(beta, "beta", 0, 1, highOpen: true) : baseline.Beta,
            Theta = s.OptionalNumber("theta") is { } theta ? Validate.Positive(theta, "theta") : baseline.Theta,
            Width = s.OptionalInteger("width") is { } width ? Validate.AtLeast(width, "width", 1) : baseline.Width,
            Norm = s.Text("norm") is { } norm ? NormChoice(norm) : baseline.Norm,
            SkipReadout = s.Has("skip-readout") ? s.Flag("skip-readout") : baseline.SkipReadout,
            Encoding = s.OptionalChoice<ImageEncoding>("encoding") ?? baseline.Encoding,
            TimeRepeat = s.OptionalInteger("timerepeat") ?? baseline.TimeRepeat,
            TargetInitialRate = s.OptionalNumber("target-initial-rate") ?? baseline.TargetInitialRate,
            LearnNeuron = s.Has("learn-neuron") ? s.Flag("learn-neuron") : baseline.LearnNeuron,
            Device = s.Text("device") is { } device ? Runtime.ComputeDevice.Parse(device).Checked() : baseline.Device,   // refused before any work
            Options = o with
            {
                Epochs = s.OptionalInteger("epochs") ?? o.Epochs, LearningRate = s.OptionalNumber("lr") ?? o.LearningRate,
                Optimizer = s.OptionalChoice("optimizer", OptimizerAliases) ?? o.Optimizer,
                Schedule = s.Text("schedule") is { } text ? Schedule.Parse(text) : o.Schedule,
                MaxBatches = s.OptionalInteger("max-batches") ?? o.MaxBatches, TargetAccuracy = s.OptionalNumber("target-accuracy") ?? o.TargetAccuracy,
                PrimingEpochs = s.OptionalInteger("priming-epochs") ?? o.PrimingEpochs,
                TimeChunk = s.Text("time-chunk") is { } chunk ? TimeChunk(chunk) : o.TimeChunk,
                TensorBoard = s.Text("tensorboard") is { } logs ? IO.OutputPath.Folder(logs, "tensorboard") : o.TensorBoard,   // checked before any work
            },
        };
    }

    /// <summary>A normalization kind, or null for <c>none</c>.</summary>
    private static NormKind? NormChoice(string text) =>
        text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? null : EnumNames.Parse<NormKind>(text, "norm");

    /// <summary><c>sqrt</c> (chunks of ⌈√T⌉ steps), 0 (off) or a number of steps ≥ 1, else an error naming the option.</summary>
    private static int TimeChunk(string text)
    {
        string t = text.Trim();
        if (t.Equals("sqrt", StringComparison.OrdinalIgnoreCase)) return Neurons.SequenceCheckpoint.Sqrt;
        return int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int steps)
            ? steps
            : throw new ArgumentException($"time-chunk = '{text}' is not sqrt, 0 (off) or a number of steps >= 1");
    }
}
