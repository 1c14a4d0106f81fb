using SpikeInit.Initialization;
using SpikeInit.Data;
using SpikeInit.Neurons;
using SpikeInit.Runtime;

namespace SpikeInit.Training;

/// <summary>What a training run is made of: which architecture on which data, with which initialization and options.</summary>
public sealed record RunConfiguration
{
    /// <summary>Architecture preset (see <see cref="TrainingPresets.All"/>).</summary>
    public string Architecture { get; init; } = "rossbroich-shallow";
    /// <summary>Dataset name or path (see <see cref="DataCatalog.Resolve"/>; null: the preset's).</summary>
    public string? Dataset { get; init; }
    /// <summary>Folder (or file) to read the dataset from instead of its usual place (null: the usual place).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Initialization method (null: the architecture's paper default).</summary>
    public string? Init { get; init; }
    /// <summary>
    /// Keep the neurons' own surrogates even where the initialization recommends others (the stability method's
    /// conditions III/IV); false (the default): the recommended surrogates are applied.
    /// </summary>
    public bool KeepSurrogates { get; init; }
    /// <summary>Where the membranes start each run (<see cref="InitialMembraneMode"/>; default rest).</summary>
    public InitialMembraneMode InitialMembrane { get; init; }
    /// <summary>Seed of weights, data order and encodings.</summary>
    public long Seed { get; init; } = 42;
    /// <summary>Training options (null: the preset's).</summary>
    public TrainingOptions? Options { get; init; }
    /// <summary>Batch size (null: the dataset's reference batch, else the preset's).</summary>
    public int? Batch { get; init; }
    /// <summary>Image encoding (null: the preset's).</summary>
    public ImageEncoding? Encoding { get; init; }
    /// <summary>Time steps of image encodings and event frames (null: the preset's).</summary>
    public int? Steps { get; init; }
    /// <summary>Use at most this many training images (null: all).</summary>
    public int? LimitTrain { get; init; }
    /// <summary>Data cache folder (null: default).</summary>
    public string? Cache { get; init; }
    /// <summary>Depth override for deep presets.</summary>
    public int? Depth { get; init; }
    /// <summary>Leak β ∈ [0, 1) of the preset's LIF neurons (null: the preset's); only presets with <see cref="TrainingPreset.ConfiguredNetwork"/>.</summary>
    public double? Beta { get; init; }
    /// <summary>Threshold θ &gt; 0 of the preset's LIF neurons (null: the preset's); only presets with <see cref="TrainingPreset.ConfiguredNetwork"/>.</summary>
    public double? Theta { get; init; }
    /// <summary>Width of the hidden layers (channels of the first conv block for VGG-style presets; null: the preset's).</summary>
    public int? Width { get; init; }
    /// <summary>Normalization after every hidden connection (null: none).</summary>
    public SpikeInit.Layers.NormKind? Norm { get; init; }
    /// <summary>Whether the readout sums linear maps of every hidden layer's spikes (<see cref="Networks.NetworkSpec.SkipReadout"/>).</summary>
    public bool SkipReadout { get; init; }
    /// <summary>LIF reset of the preset's spiking layers (null: the preset's); only presets with <see cref="TrainingPreset.NetworkWithReset"/>.</summary>
    public LifReset? Reset { get; init; }
    /// <summary>Data-driven calibration after initialization (<see cref="CalibrationTarget.Parse"/>: rate:V, sigma:V, keep-first), or null.</summary>
    public string? Calibrate { get; init; }
    /// <summary>
    /// Each input time step presented this many times in a row (Herranz-Celotti &amp; Rouat's <c>timerepeat</c>, 2 in
    /// their runs; null: once). Applies to every preset's data (a static input's steps are multiplied).
    /// </summary>
    public int? TimeRepeat { get; init => field = value is { } n ? Validate.Between(n, "timerepeat", 1, MaxTimeRepeat) : null; }
    /// <summary>The largest <see cref="TimeRepeat"/>.</summary>
    public const int MaxTimeRepeat = 100;
    /// <summary>
    /// Before supervised training, train only biases (and learned thresholds) until each hidden layer's firing rate is near
    /// this probability per step (Herranz-Celotti &amp; Rouat's initial-rate pre-training; <see cref="InitialRatePhase"/>); null: no such phase.
    /// </summary>
    public double? TargetInitialRate { get; init => field = value is { } r ? Validate.InRange(r, "target-initial-rate", 0, 1, lowOpen: true, highOpen: true) : null; }
    /// <summary>Learn each LIF/ALIF neuron's leak and threshold (<see cref="Networks.NetworkSpec.WithLearnedNeurons"/>).</summary>
    public bool LearnNeuron { get; init; }
    /// <summary>Fraction of an SHD/SSC training file held out as the test split when it has no test file (null: the test file must exist).</summary>
    public double? TestSplit { get; init; }
    /// <summary>
    /// Where the network trains (<see cref="ComputeDevice"/>: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>); run folders record it in
    /// <c>run.json</c> (missing in older runs: the CPU), and a resume continues on it (another <c>--device</c> is refused).
    /// </summary>
    public string Device { get; init => field = ComputeDevice.Parse(value).ToString(); } = "cpu";
}
