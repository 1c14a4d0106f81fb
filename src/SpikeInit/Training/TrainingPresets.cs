using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Surrogates;

namespace SpikeInit.Training;

/// <summary>
/// The papers' training set-ups: Micheli's L × n LIF MLP, Ding's 5-layer conv net, Rossbroich's shallow and deep
/// current-based networks, Herranz-Celotti's 2-layer recurrent LIF, ALIF and sLSTM networks.
/// </summary>
public static class TrainingPresets
{
    private const string Micheli = "Micheli, Booij, van Gemert, Tömen 2024: Deep activity propagation via weight initialization in spiking neural networks (arXiv 2410.00580)";
    private const string Ding = "Ding, Zhang, Yu, Huang: Accelerating training of deep spiking neural networks with parameter initialization (ICLR 2022 submission)";
    private const string Rossbroich = "Rossbroich, Gygax, Zenke 2022: Fluctuation-driven initialization for spiking neural network training (Neuromorph. Comput. Eng. 2, 044016)";
    private const string HerranzCelotti = "Herranz-Celotti, Rouat: Stabilizing spiking neuron training (arXiv 2202.00282)";

    private static int Inputs(ITrainingData data) => (int)data.InputShape.Aggregate(1L, (a, b) => a * b);

    private static InputStatistics Poisson(ITrainingData data) =>
        data is SpikeTrainingData s ? InputStatistics.Poisson(s.RateHz, s.Dt) : InputStatistics.Poisson(5, 2e-3);

    private static readonly TrainingOptions RossbroichOptions =
        new() { Epochs = 20, LearningRate = 5e-2, Regularizers = [new UpperBoundRate(0.1, 4), new LowerBoundRate(100, 1e-3)] };

    private static double TrialDuration(ITrainingData data) => data is SpikeTrainingData s ? s.SequenceLength * s.Dt : 0.2;
    private static readonly TrainingOptions HerranzCelottiOptions =
        new() { Epochs = 20, LearningRate = 3.16e-4, Optimizer = OptimizerKind.AdaBelief, ClipNorm = 1, LabelSmoothing = 0.1, Regularizers = [new Selt(0.8)] };

    private static NetworkSpec MicheliMlp(ITrainingData data, int? depth, LifReset reset) =>
        Architectures.DeepDense(Inputs(data), 600, depth ?? 10, new LifNeuron(new LifParameters(0.5, 1.0, reset)), encoder: true, outputs: data.Classes);

    /// <summary>
    /// Herranz-Celotti &amp; Rouat's ALIF network: 2 × 128 recurrent ALIF (α = 0.9, ϑ = 1, β_a = 1.8, τ_a = T_in/2 with T_in
    /// the steps the network is shown, after any time repeat; fast-sigmoid surrogate; reset term detached, as the paper and
    /// its code train), a leaky LIF readout (α = 0.9, no reset) read out as its mean membrane over time: the set-up of
    /// <c>hc-recurrent</c> with adaptive neurons.
    /// </summary>
    internal static NetworkSpec HcAlif(ITrainingData data, LifReset reset)
    {
        var surrogate = new NormalizedSurrogate(SurrogateShape.FastSigmoid);
        // the paper trains without the gradient through the reset (spec §1.2; the code's stop_gradient on −ϑ_t·x_{t−1})
        var alif = new AlifNeuron(new AlifParameters(0.9, 1.0, 1.8, InputSteps(data) / 2.0, reset, new SpikeOptions(DetachReset: true)), surrogate);
        var readout = new LifNeuron(new LifParameters(0.9, 1.0, LifReset.None), surrogate);
        return NetworkSpec.Builder(Inputs(data)).Recurrent(128, alif).Recurrent(128, alif).DenseReadout(data.Classes, readout)
                          .WithReadout(Readout.MeanOverTime).Build();
    }

    /// <summary>
    /// Herranz-Celotti &amp; Rouat's spiking LSTM network: 2 recurrent layers of 85 sLSTM cells (docs/THEORY.md §S11;
    /// fast-sigmoid surrogate), the width of their complexity study (an sLSTM of 85 units ≈ 350k parameters, as ALIF with
    /// 256 neurons: 355k here on 784 inputs), and the leaky LIF readout (α = 0.9, no reset) of <c>hc-alif</c>, read out
    /// as its mean membrane over time.
    /// </summary>
    internal static NetworkSpec HcSlstm(ITrainingData data)
    {
        var surrogate = new NormalizedSurrogate(SurrogateShape.FastSigmoid);
        var cell = new SlstmNeuron(new SlstmParameters(), surrogate);
        var readout = new LifNeuron(new LifParameters(0.9, 1.0, LifReset.None), surrogate);
        return NetworkSpec.Builder(Inputs(data)).Slstm(85, cell).Slstm(85, cell).DenseReadout(data.Classes, readout)
                          .WithReadout(Readout.MeanOverTime).Build();
    }

    /// <summary>The steps a network is shown per sample: the static input's steps, else the length of the first training sequence.</summary>
    private static int InputSteps(ITrainingData data) => data.Steps ?? (int)data.Train(0).First().X.shape[0];

    /// <summary>All presets.</summary>
    public static IReadOnlyList<TrainingPreset> All { get; } =
    [
        new()
        {
            Name = "micheli-mlp", Paper = Micheli, Dataset = "mnist", Alternatives = ["fashion-mnist"],
            Description = "encoding LIF layer + 10 x 600 LIF (theta 1, beta 0.5, arctan), T = 3, spike-count readout; Adam 1e-3 cosine; init micheli",
            Forms = [DataForm.Images, DataForm.Recordings, DataForm.Events],
            Input = new(ImageEncoding.Constant, Steps: 3, Batch: 128, Normalization.Standardized),
            Network = (data, depth) => MicheliMlp(data, depth, LifReset.SubtractNextStep),
            NetworkWithReset = MicheliMlp,
            ConfiguredNetwork = (data, c) => Architectures.DeepDense(Inputs(data), c.Width ?? 600, c.Depth ?? 10,
                new LifNeuron(new LifParameters(c.Beta ?? 0.5, c.Theta ?? 1.0, c.Reset ?? LifReset.SubtractNextStep)), encoder: true, outputs: data.Classes),
            Init = "micheli", InputStatistics = _ => InputStatistics.Gaussian(),
            Options = new() { Epochs = 20, LearningRate = 1e-3, Schedule = new Schedule(ScheduleKind.Cosine) },
        },
        new()
        {
            Name = "ding-conv", Paper = Ding, Dataset = "mnist", Alternatives = ["fashion-mnist"],
            Description = "c3x32-pool-c3x32-pool-fc500-fc100-fc10 of k/lambda IF (0.8, 0.2, 1) with bias, T = 20 constant input; Adam 1e-3 cosine; init asymptote",
            Forms = [DataForm.Images],
            Input = new(ImageEncoding.Constant, Steps: 20, Batch: 32, Flatten: false),
            Network = (data, _) => Architectures.DingConvMnist(inputShape: [data.InputShape[0], 28, 28]),   // channels: 2 with the retina encoding
            Init = "asymptote", InputStatistics = _ => InputStatistics.Gaussian(0.13, 0.095),
            Options = new() { Epochs = 10, LearningRate = 1e-3, Schedule = new Schedule(ScheduleKind.Cosine) },
        },
        new()
        {
            Name = "ding-vgg", Paper = Ding, Dataset = "mnist", Alternatives = ["fashion-mnist"],
            Description = "VGG-9 style: c(w) c(w) pool c(2w) c(2w) pool c(2w) x3 pool fc(8w) fc10 of k/lambda IF (0.8, 0.2, 1) with bias, w = --width (128), T = 20 constant input; Adam 1e-3 cosine; init asymptote",
            Forms = [DataForm.Images],
            Input = new(ImageEncoding.Constant, Steps: 20, Batch: 32, Flatten: false),
            Network = (data, _) => Architectures.DingVgg(data.InputShape, data.Classes),
            ConfiguredNetwork = (data, c) => c.Depth is not null || c.Reset is not null || c.Beta is not null || c.Theta is not null
                ? throw new ArgumentException("ding-vgg takes --width only (its depth, neurons and reset are the paper's)")
                : Architectures.DingVgg(data.InputShape, data.Classes, c.Width ?? 128),
            Init = "asymptote", InputStatistics = _ => InputStatistics.Gaussian(0.13, 0.095),
            Options = new() { Epochs = 10, LearningRate = 1e-3, Schedule = new Schedule(ScheduleKind.Cosine) },
        },
        new()
        {
            Name = "rossbroich-shallow", Paper = Rossbroich, Dataset = "randman",
            Description = "1 x 128 current-based LIF, max-over-time readout (tau_mem = trial length); Adam 5e-2; UB/LB regularizers; init fluctuation sigma_U = 1",
            Forms = [DataForm.Synthetic, DataForm.Recordings, DataForm.Images, DataForm.Events],
            Input = new(ImageEncoding.Poisson, Steps: 20, Batch: 128),
            Network = (data, _) => Architectures.CurrentBased(Inputs(data), [128], data.Classes),
            Init = "fluctuation", InputStatistics = Poisson, Options = RossbroichOptions,
        },
        new()
        {
            Name = "rossbroich-deep", Paper = Rossbroich, Dataset = "randman",
            Description = "6 x 128 current-based LIF (deep), same readout and training; init fluctuation sigma_U = 1",
            Forms = [DataForm.Synthetic, DataForm.Recordings, DataForm.Images, DataForm.Events],
            Input = new(ImageEncoding.Poisson, Steps: 20, Batch: 128),
            Network = (data, depth) => Architectures.CurrentBased(Inputs(data), [.. Enumerable.Repeat(128, depth ?? 6)], data.Classes),
            Init = "fluctuation", InputStatistics = Poisson, Options = RossbroichOptions,
        },
        new()
        {
            Name = "hc-recurrent", Paper = HerranzCelotti, Dataset = "mnist", Alternatives = ["fashion-mnist"],
            Description = "2 x 128 recurrent minus-reset LIF (alpha 0.9, fast-sigmoid), mean-membrane readout, latency-coded images (sl-MNIST); AdaBelief 3.16e-4, clip 1, label smoothing 0.1, SELT; init stability",
            Forms = [DataForm.Images, DataForm.Recordings, DataForm.Events],
            Input = new(ImageEncoding.Latency, Steps: 100, Batch: 256),
            Network = (data, _) => Architectures.ShallowRecurrent(Inputs(data), 128, data.Classes),
            NetworkWithReset = (data, _, reset) => Architectures.ShallowRecurrent(Inputs(data), 128, data.Classes, neuron:
                new LifNeuron(new LifParameters(0.9, 1.0, reset), new NormalizedSurrogate(SurrogateShape.FastSigmoid))),
            Init = "stability", InputStatistics = _ => InputStatistics.Spikes(0.01, 0.01),
            Options = HerranzCelottiOptions,
        },
        new()
        {
            Name = "hc-alif", Paper = HerranzCelotti, Dataset = "mnist", Alternatives = ["fashion-mnist"],
            Description = "2 x 128 recurrent minus-reset ALIF (alpha 0.9, beta_a 1.8, tau_a = T_in/2, fast-sigmoid, no gradient through the reset), mean-membrane readout, latency-coded images; training as hc-recurrent; init stability (condition I at the mean adaptive threshold)",
            Forms = [DataForm.Images, DataForm.Recordings, DataForm.Events],
            Input = new(ImageEncoding.Latency, Steps: 100, Batch: 256),
            Network = (data, _) => HcAlif(data, LifReset.SubtractNextStep),
            NetworkWithReset = (data, _, reset) => HcAlif(data, reset),
            Init = "stability", InputStatistics = _ => InputStatistics.Spikes(0.01, 0.01),
            Options = HerranzCelottiOptions,
        },
        new()
        {
            Name = "hc-slstm", Paper = HerranzCelotti, Dataset = "mnist", Alternatives = ["fashion-mnist"],
            Description = "2 x 85 recurrent spiking LSTM cells (binary gates, outputs in {-1, 0, 1}, fast-sigmoid; ~355k parameters, the paper's complexity-study size), mean-membrane readout, latency-coded images; training as hc-recurrent; init glorot-uniform (the paper's default; no sLSTM condition)",
            Forms = [DataForm.Images, DataForm.Recordings, DataForm.Events],
            Input = new(ImageEncoding.Latency, Steps: 100, Batch: 256),
            Network = (data, _) => HcSlstm(data),
            Init = "glorot-uniform", InputStatistics = _ => InputStatistics.Spikes(0.01, 0.01),
            Options = HerranzCelottiOptions,
        },
        new()
        {
            Name = "rossbroich-dale", Paper = Rossbroich, Dataset = "randman-700", Alternatives = ["shd"],
            Description = "1 recurrent E/I (Dale) layer of 128 E + 32 I cuba-exc-inh neurons (tau_exc 10, tau_inh 20 ms), readout of E (tau_mem = trial length, max over time); Adam 5e-2; UB 0.1/7; init fluctuation (Dale: exponential weights) sigma_U = 1",
            Forms = [DataForm.Synthetic, DataForm.Recordings, DataForm.Images, DataForm.Events],
            Input = new(ImageEncoding.Poisson, Steps: 20, Batch: 128),
            Network = (data, _) => Architectures.Dale(Inputs(data), 128, 32, data.Classes, TrialDuration(data)),
            Init = "fluctuation", InputStatistics = Poisson,
            Options = new() { Epochs = 20, LearningRate = 5e-2, Regularizers = [new UpperBoundRate(0.1, 7)] },
        },
        new()
        {
            Name = "rossbroich-csnn", Paper = Rossbroich, Dataset = "randman-700", Alternatives = ["shd"],
            Description = "recurrent conv SNN: 1-D conv C 16/32/64, k 21/7/7, s 10/3/3 (--depth 1-3) each with a recurrent conv k 5, CUBA LIF, readout tau_mem = trial length, max over time; Adam 5e-2; UB 0.01/7; init fluctuation sigma_U = 1, alpha 0.9",
            Forms = [DataForm.Synthetic, DataForm.Recordings],
            Input = new(ImageEncoding.Poisson, Steps: 20, Batch: 128),
            Network = (data, depth) => Architectures.RecurrentConvolutional(Inputs(data), depth ?? 3, data.Classes, TrialDuration(data)),
            Init = "fluctuation", InputStatistics = Poisson,
            Options = new() { Epochs = 20, LearningRate = 5e-2, Regularizers = [new UpperBoundRate(0.01, 7)] },
        },
    ];

    /// <summary>A preset by name.</summary>
    public static TrainingPreset Get(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown architecture '{name}'; choose one of {string.Join(", ", All.Select(p => p.Name))}", nameof(name));
}
