using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;

namespace SpikeInit.Probing;

/// <summary>Neuron families the probe builds networks of.</summary>
public enum ProbeNeuron
{
    /// <summary>Discrete LIF (Micheli's Eq. 13 order), arctan surrogate.</summary>
    Lif,
    /// <summary>Ding's k/λ integrate-and-fire (k = β of the configuration, λ = <see cref="ProbeConfiguration.Lambda"/>).</summary>
    KLambda,
    /// <summary>stork's current-based LIF (dt = 2 ms, τ_mem = 20 ms, τ_syn = 10 ms).</summary>
    Cuba,
}

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
    /// <summary>Initialization method name (see <see cref="Initializers.Names"/>).</summary>
    public string Method { get; init => field = Initializers.Names.Contains(value) ? value : throw new ArgumentException($"unknown initialization method '{value}'; choose one of {string.Join(", ", Initializers.Names)}"); } = "micheli";
    /// <summary>Threshold θ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); } = 1.0;
    /// <summary>Leak β ∈ [0, 1] (k for the k/λ neuron; unused for CUBA).</summary>
    public double Beta { get; init => field = Validate.InRange(value, "beta", 0, 1); } = 0.5;
    /// <summary>Input gain λ of the k/λ neuron.</summary>
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
    /// <summary>Neuron family.</summary>
    public ProbeNeuron Neuron { get; init => field = Validate.Defined(value, "neuron"); } = ProbeNeuron.Lif;
    /// <summary>Input source.</summary>
    public ProbeInput Input { get; init => field = Validate.Defined(value, "input"); } = ProbeInput.Gaussian;
    /// <summary>Poisson rate: Hz for CUBA, spikes per step otherwise.</summary>
    public double Rate { get; init => field = Validate.Positive(value, "rate"); } = 15.8;
    /// <summary>Fluctuation-driven target σ_U.</summary>
    public double SigmaU { get; init => field = Validate.Positive(value, "sigma_u"); } = 1.0;
    /// <summary>Whether to run the gradient probe (one backward pass per repeat).</summary>
    public bool Gradients { get; init; }

    /// <summary>The neuron model of every layer.</summary>
    public Neuron NeuronModel() => Neuron switch
    {
        ProbeNeuron.KLambda => new KLambdaNeuron(new KLambdaParameters(Beta, Lambda, Theta)),
        ProbeNeuron.Cuba => new CubaLifNeuron(new CubaLifParameters(theta: Theta)),
        _ => new LifNeuron(new LifParameters(Beta, Theta)),
    };

    /// <summary>The network: encoder + Depth dense layers (Gaussian input) or Depth dense layers (Poisson input).</summary>
    public NetworkSpec Network()
    {
        Neuron n = NeuronModel();
        if (Neuron == ProbeNeuron.Cuba && Input == ProbeInput.Gaussian)
            throw new ArgumentException("current-based networks are probed with Poisson input (--input poisson)");
        return Architectures.DeepDense(Width, Width, Depth, n, encoder: Input == ProbeInput.Gaussian, bias: Method == "asymptote");
    }

    /// <summary>The initializer with this configuration's σ_U.</summary>
    public Initializer Initializer() => Initializers.Create(Method, new InitOptions { SigmaU = SigmaU });

    /// <summary>Spike probability per step of the Poisson input.</summary>
    public double InputProbability => Neuron == ProbeNeuron.Cuba ? Rate * new CubaLifParameters().Dt : Rate;

    /// <summary>Statistics of the network input, for the initializer.</summary>
    public InputStatistics InputStatistics() => Input == ProbeInput.Gaussian
        ? Initialization.InputStatistics.Gaussian()
        : Initialization.InputStatistics.Spikes(Validate.InRange(InputProbability, "rate*dt", 0, 1, lowOpen: true), Rate);

    /// <summary>A short label, e.g. <c>micheli θ=1 β=0.5 n=1000</c>.</summary>
    public string Label => $"{Method} theta={Validate.Format(Theta)}" + (Neuron == ProbeNeuron.Cuba ? "" : $" beta={Validate.Format(Beta)}") +
                           $" n={Width}" + (Method == "fluctuation" ? $" sigma_u={Validate.Format(SigmaU)}" : "");
}
