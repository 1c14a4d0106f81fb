using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;

namespace SpikeInit.Probing;

/// <summary>What drives the network.</summary>
public enum ProbeInput
{
    /// <summary>N(0, 1) currents, constant over time, into an encoding layer of the same neurons (Micheli et al.).</summary>
    Gaussian,
    /// <summary>Independent Poisson spike trains (no encoder; layer 0 is the input raster).</summary>
    Poisson,
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
    /// <summary>Threshold θ &gt; 0.</summary>
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
    /// <summary>Input source.</summary>
    public ProbeInput Input { get; init => field = Validate.Defined(value, "input"); } = ProbeInput.Gaussian;
    /// <summary>Poisson rate: Hz for CUBA, spikes per step otherwise.</summary>
    public double Rate { get; init => field = Validate.Positive(value, "rate"); } = 15.8;
    /// <summary>Fluctuation-driven target σ_U.</summary>
    public double SigmaU { get; init => field = Validate.Positive(value, "sigma_u"); } = 1.0;
    /// <summary>Whether to run the gradient probe (one backward pass per repeat).</summary>
    public bool Gradients { get; init; }

    /// <summary>The neuron model of every layer: the registry's model with θ, the leak (β or k) and λ of this configuration.</summary>
    public Neuron NeuronModel() => NeuronModels.Get(Neuron).Build(Settings.Numbers(("theta", Theta), ("beta", Beta), ("k", Beta), ("lambda", Lambda)));

    /// <summary>The network: encoder + Depth dense layers (Gaussian input) or Depth dense layers (Poisson input).</summary>
    public NetworkSpec Network()
    {
        Neuron n = NeuronModel();
        if (n.Dynamics.SynapticCurrent && Input == ProbeInput.Gaussian)
            throw new ArgumentException("current-based networks are probed with Poisson input (--input poisson)");
        return Architectures.DeepDense(Width, Width, Depth, n, encoder: Input == ProbeInput.Gaussian, bias: Initializers.Get(Method).SetsBias);
    }

    /// <summary>The initializer with this configuration's σ_U.</summary>
    public Initializer Initializer() => Initializers.Create(Method, new InitOptions { SigmaU = SigmaU });

    /// <summary>Spike probability per step of the Poisson input (Rate·dt for neurons with physical time).</summary>
    public double InputProbability => NeuronModel().Dynamics.TimeStep is { } dt ? Rate * dt : Rate;

    /// <summary>Statistics of the network input, for the initializer.</summary>
    public InputStatistics InputStatistics() => Input == ProbeInput.Gaussian
        ? Initialization.InputStatistics.Gaussian()
        : Initialization.InputStatistics.Spikes(Validate.InRange(InputProbability, "rate*dt", 0, 1, lowOpen: true), Rate);

    /// <summary>A short label, e.g. <c>micheli θ=1 β=0.5 n=1000</c>.</summary>
    public string Label => $"{Method} theta={Validate.Format(Theta)}" + (NeuronModel().Dynamics.TimeStep is null ? $" beta={Validate.Format(Beta)}" : "") +
                           $" n={Width}" + (UsesSigmaU ? $" sigma_u={Validate.Format(SigmaU)}" : "");

    /// <summary>Whether the method reads the σ_U target (so sweeps over σ_U matter for it).</summary>
    public bool UsesSigmaU => Initializers.Get(Method).Reads.Contains("sigma-u");
}
