using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Runtime;

namespace SpikeInit.Probing;

/// <summary>What drives the network.</summary>
public enum ProbeInput
{
    /// <summary>N(0, 1) currents, constant over time, into an encoding layer of the same neurons (Micheli et al.).</summary>
    Gaussian,
    /// <summary>Independent Poisson spike trains (no encoder; layer 0 is the input raster).</summary>
    Poisson,
    /// <summary>
    /// Batches of an image dataset (<see cref="ProbeConfiguration.Dataset"/>): each image flattened, its pixels standardized
    /// with the training split's pixel mean and std (as <c>micheli-mlp</c> reads them), as a constant current over the
    /// T steps into an encoding layer of one neuron per pixel; the first dense layer maps the pixels to the width.
    /// </summary>
    Dataset,
}

/// <summary>
/// One probed configuration: a deep fully connected network of <see cref="Depth"/> layers of <see cref="Width"/>
/// neurons, initialized with <see cref="Method"/>, run for <see cref="Steps"/> steps on <see cref="Batch"/> input
/// samples, <see cref="Repeats"/> times with freshly drawn weights and inputs.
/// </summary>
public sealed record ProbeConfiguration
{
    /// <summary>Initialization method name (see <see cref="Initializers.All"/>).</summary>
    public string Method { get; init => field = Initializers.Get(value).Name; } = "micheli";
    /// <summary>Threshold θ &gt; 0 (small θ such as 0.01 approaches Micheli's ReLU-like θ → 0 control; the neurons reject θ = 0 itself).</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); } = 1.0;
    /// <summary>Leak β ∈ [0, 1] (k for the k/λ neuron; unused for CUBA).</summary>
    public double Beta { get; init => field = Validate.InRange(value, "beta", 0, 1); } = 0.5;
    /// <summary>Input gain λ of the k/λ neuron (<c>klambda</c>).</summary>
    public double Lambda { get; init => field = Validate.Positive(value, "lambda"); } = 0.2;
    /// <summary>Neurons per layer.</summary>
    public int Width { get; init => field = Validate.AtLeast(value, "width", 1); } = 1000;
    /// <summary>Layers after the input (the encoder is layer 0 for Gaussian input).</summary>
    public int Depth { get; init => field = Validate.AtLeast(value, "depth", 1); } = 100;
    /// <summary>Time steps T.</summary>
    public int Steps { get; init => field = Validate.AtLeast(value, "steps", 1); } = 1;
    /// <summary>Independent repeats R (weights and inputs re-drawn).</summary>
    public int Repeats { get; init => field = Validate.AtLeast(value, "repeats", 1); } = 20;
    /// <summary>Input samples per repeat.</summary>
    public int Batch { get; init => field = Validate.AtLeast(value, "batch", 1); } = 16;
    /// <summary>Neuron model name (<see cref="NeuronModels.All"/>); <see cref="Beta"/> is its leak (β, or k for <c>klambda</c>).</summary>
    public string Neuron { get; init => field = NeuronModels.Get(value).Name; } = "lif";
    /// <summary>LIF reset variant, for neuron models with a <c>reset</c> option (named as <see cref="NeuronModels.ResetAliases"/>).</summary>
    public LifReset Reset { get; init => field = Validate.Defined(value, "reset"); } = LifReset.SubtractNextStep;
    /// <summary>Input source.</summary>
    public ProbeInput Input { get; init => field = Validate.Defined(value, "input"); } = ProbeInput.Gaussian;
    /// <summary>The image dataset of <see cref="ProbeInput.Dataset"/> input (from <see cref="DataCatalog.Resolve"/>); null otherwise.</summary>
    public IDatasetSource? Dataset { get; init; }
    /// <summary>Poisson rate: Hz for CUBA, spikes per step otherwise.</summary>
    public double Rate { get; init => field = Validate.Positive(value, "rate"); } = 15.8;
    /// <summary>Fluctuation-driven target σ_U.</summary>
    public double SigmaU { get; init => field = Validate.Positive(value, "sigma_u"); } = 1.0;
    /// <summary>Whether to run the gradient probe (one backward pass per repeat).</summary>
    public bool Gradients { get; init; }
    /// <summary>
    /// Data-driven calibration after initialization (null: none): each repeat's network is calibrated with
    /// <see cref="Calibration.Run"/> on that repeat's input over all T steps, every layer including the last, before it is measured.
    /// </summary>
    public CalibrationTarget? Calibrate { get; init; }
    /// <summary>Where the networks run (<c>--device</c>); weights and inputs are drawn on the CPU first, so the draws do not depend on it.</summary>
    public ComputeDevice Device { get; init => field = value ?? throw new ArgumentNullException(nameof(value)); } = ComputeDevice.Cpu;

    /// <summary>The method as probe.csv names it: <see cref="Method"/>, with <c>+calibrated</c> when <see cref="Calibrate"/> is set.</summary>
    public string MethodLabel => Calibrate is null ? Method : Method + "+calibrated";

    /// <summary>Whether the neuron model has a <c>reset</c> option (and so reads <see cref="Reset"/>).</summary>
    public bool HasReset => NeuronModels.Get(Neuron).Options.Any(o => o.Name == "reset");

    /// <summary>The reset's name as <c>init --reset</c> takes it (<c>minus</c>, <c>pre</c>, …); null for models without a <c>reset</c> option.</summary>
    public string? ResetName => HasReset ? NameOf(Reset) : null;

    /// <summary>The name of a LIF reset as <c>init --reset</c> takes it: its alias in <see cref="NeuronModels.ResetAliases"/>, else its kebab-case name.</summary>
    public static string NameOf(LifReset reset) =>
        NeuronModels.ResetAliases.Where(a => a.Value == reset).Select(a => a.Key).FirstOrDefault() ?? EnumNames.Of(reset);

    /// <summary>
    /// The neuron model of every layer: the registry's model with θ, the leak (β or k), λ and the reset of this
    /// configuration. A reset other than the default on a model without a <c>reset</c> option is an error.
    /// </summary>
    public Neuron NeuronModel()
    {
        if (!HasReset && Reset != LifReset.SubtractNextStep)
            throw new ArgumentException($"reset = '{NameOf(Reset)}' applies to neuron models with a reset option " +
                                        $"({string.Join(", ", NeuronModels.All.Where(m => m.Options.Any(o => o.Name == "reset")).Select(m => m.Name))}); " +
                                        $"neuron = '{Neuron}' has its own reset");
        var values = new Dictionary<string, string?>
        {
            ["theta"] = R(Theta), ["beta"] = R(Beta), ["k"] = R(Beta), ["lambda"] = R(Lambda), ["reset"] = NameOf(Reset),
        };
        return NeuronModels.Get(Neuron).Build(new Settings(values));
    }

    private static string R(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The network: encoder + Depth dense layers (Gaussian input: the encoder has <see cref="Width"/> neurons; dataset input:
    /// one encoder neuron per pixel, the first dense layer maps the pixels to <see cref="Width"/>, as in <c>micheli-mlp</c>)
    /// or Depth dense layers (Poisson input); E/I neurons under <c>fluctuation</c>: Depth E/I (Dale) layers; sLSTM cells:
    /// Depth recurrent sLSTM layers fed by the input itself.
    /// </summary>
    public NetworkSpec Network()
    {
        Neuron n = NeuronModel();
        if (n.Dynamics.SynapticCurrent && Input != ProbeInput.Poisson)
            throw new ArgumentException("current-based networks are probed with Poisson input (--input poisson)");
        if (n is CubaExcInhNeuron && Initializers.Get(Method).Name == "fluctuation")
            return DaleStack(n);
        if (n is SlstmNeuron)
        {
            var cells = NetworkSpec.Builder(Inputs());   // the input feeds the gates directly (no encoder layer)
            for (int l = 0; l < Depth; l++) cells.Slstm(Width, n);
            return cells.Build();
        }
        return Architectures.DeepDense(Inputs(), Width, Depth, n, encoder: Input != ProbeInput.Poisson, bias: Initializers.Get(Method).SetsBias);
    }

    /// <summary>
    /// E/I neurons under the fluctuation-driven method: Depth E/I (Dale) layers of Width E and ⌈Width/4⌉ I neurons
    /// (stork's ratio 4), excitation feed-forward only, each layer's I population inhibiting its own E and I (docs/THEORY.md §F7).
    /// </summary>
    private NetworkSpec DaleStack(Neuron neuron)
    {
        var b = NetworkSpec.Builder(Inputs());
        for (int l = 0; l < Depth; l++) b.Dale(Width, (Width + 3) / 4, neuron, recurrent: false);
        return b.Build();
    }

    /// <summary>Network inputs: <see cref="Width"/>, or the pixels of one image of <see cref="Dataset"/> (checked to be an image dataset).</summary>
    public int Inputs()
    {
        if (Input != ProbeInput.Dataset)
            return Dataset is null ? Width : throw new ArgumentException($"dataset '{Dataset.Name}' is given but input = '{EnumNames.Of(Input)}'; use input = dataset");
        if (Dataset is null) throw new ArgumentException("input = dataset needs a dataset (an image dataset of DataCatalog.Sources)");
        if (Dataset.Form != DataForm.Images)
            throw new ArgumentException($"input = '{Dataset.Name}' holds {EnumNames.Of(Dataset.Form)}; the probe feeds image datasets as constant currents");
        return (int)Dataset.SampleShape.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>The initializer with this configuration's σ_U.</summary>
    public Initializer Initializer() => Initializers.Create(Method, new InitOptions { SigmaU = SigmaU });

    /// <summary>Spike probability per step of the Poisson input (Rate·dt for neurons with physical time).</summary>
    public double InputProbability => NeuronModel().Dynamics.TimeStep is { } dt ? Rate * dt : Rate;

    /// <summary>
    /// Statistics of generated network input (Gaussian, Poisson), for the initializer. Dataset input has no statistics
    /// before its data is read: the probe measures them from the standardized pixels (<see cref="ProbeResult.InputStatistics"/>).
    /// </summary>
    public InputStatistics InputStatistics() => Input switch
    {
        ProbeInput.Gaussian => Initialization.InputStatistics.Gaussian(),
        ProbeInput.Poisson => Initialization.InputStatistics.Spikes(Validate.InRange(InputProbability, "rate*dt", 0, 1, lowOpen: true), Rate),
        _ => throw new InvalidOperationException($"the statistics of dataset input are measured from the data ({Dataset?.Name}) by the probe"),
    };

    /// <summary>A short label, e.g. <c>micheli θ=1 β=0.5 n=1000</c>; the reset and the dataset are named when not the default.</summary>
    public string Label => $"{MethodLabel}" + (Calibrate is { } target ? $"({target})" : "") + $" theta={Validate.Format(Theta)}" + (NeuronModel().Dynamics.TimeStep is null ? $" {LeakName}={Validate.Format(Beta)}" : "") +
                           (HasReset && Reset != LifReset.SubtractNextStep ? $" reset={NameOf(Reset)}" : "") +
                           $" n={Width}" + (UsesSigmaU ? $" sigma_u={Validate.Format(SigmaU)}" : "") +
                           (Input == ProbeInput.Dataset && Dataset is not null ? $" input={Dataset.Name}" : "");

    /// <summary>The name of the leak <see cref="Beta"/> in labels: <c>k</c> for a neuron model whose leak option is k (k/λ), else <c>beta</c>.</summary>
    public string LeakName => NeuronModels.Get(Neuron).Options.Any(o => o.Name == "k") ? "k" : "beta";

    /// <summary>Whether the method reads the σ_U target (so sweeps over σ_U matter for it).</summary>
    public bool UsesSigmaU => Initializers.Get(Method).Reads.Contains("sigma-u");

    /// <summary>
    /// The probe input an <c>--input</c> value names: gaussian or poisson, else a dataset resolved by the catalog (a name of
    /// <see cref="DataCatalog.Sources"/> or a folder; whether it is an image dataset is checked with the configuration).
    /// </summary>
    public static (ProbeInput Kind, IDatasetSource? Dataset) ParseInput(string text, string? dataDirectory, string? cache)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (ProbeInput kind in new[] { ProbeInput.Gaussian, ProbeInput.Poisson })
            if (EnumNames.Of(kind).Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
                return dataDirectory is null ? (kind, null) : throw new ArgumentException($"--data-dir is for a dataset --input, not input = '{text}'");
        try
        {
            return (ProbeInput.Dataset, new DataCatalog(cache).Resolve(text, dataDirectory));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"input = '{text}' is not gaussian, poisson or a dataset: {e.Message}", e);
        }
    }
}
