using SpikeInit.Neurons;

namespace SpikeInit.Initialization;

/// <summary>The kind of connection being initialized.</summary>
public enum ConnectionKind
{
    /// <summary>Fully connected, feed-forward.</summary>
    Dense,
    /// <summary>Fully connected input plus a recurrent connection from the population onto itself.</summary>
    Recurrent,
    /// <summary>2-D convolution (fan-in C_in·k·k).</summary>
    Convolution,
    /// <summary>1-D convolution (fan-in C_in·k) plus a recurrent 1-D convolution of the population's spikes (fan-in C_out·k_r).</summary>
    RecurrentConvolution,
}

/// <summary>
/// Everything an initializer needs to know about one population and its afferent connections: fan-in and fan-out of
/// the (feed-forward or convolutional) weight, the recurrent fan-in (0 without recurrence), the target neuron (θ, β or
/// k/λ, τ_mem/τ_syn/dt, surrogate) and the statistics of the input.
/// </summary>
public sealed record InitContext
{
    /// <summary>Creates a context; prefer <see cref="Dense"/>, <see cref="Recurrent"/>, <see cref="Convolution"/>.</summary>
    public InitContext(ConnectionKind kind, int fanIn, int fanOut, Neuron neuron, InputStatistics input, int recurrentFanIn = 0, int units = 0, int kernelSize = 1)
    {
        Kind = kind;
        FanIn = fanIn;
        FanOut = fanOut;
        Neuron = neuron;
        Input = input;
        RecurrentFanIn = recurrentFanIn;
        Units = units == 0 ? fanOut : units;
        KernelSize = kernelSize;
        if (kind is ConnectionKind.Recurrent or ConnectionKind.RecurrentConvolution && recurrentFanIn < 1)
            throw new ArgumentOutOfRangeException(nameof(recurrentFanIn), recurrentFanIn, "a recurrent connection needs recurrent_fan_in >= 1 (at least 2 neurons: the diagonal is masked)");
        if (kind is not (ConnectionKind.Recurrent or ConnectionKind.RecurrentConvolution) && recurrentFanIn != 0)
            throw new ArgumentException($"recurrent_fan_in = {recurrentFanIn} is only allowed for recurrent connections", nameof(recurrentFanIn));
    }

    /// <summary>The connection kind.</summary>
    public ConnectionKind Kind { get; init => field = Validate.Defined(value, "kind"); }

    /// <summary>Inputs per neuron through the feed-forward (or convolutional) weight, ≥ 1.</summary>
    public int FanIn { get; init => field = Validate.AtLeast(value, "fan_in", 1); }

    /// <summary>Outputs per input (dense: units; conv: C_out·k·k), ≥ 1.</summary>
    public int FanOut { get; init => field = Validate.AtLeast(value, "fan_out", 1); }

    /// <summary>Recurrent inputs per neuron (width − 1, the diagonal is masked); 0 for feed-forward connections.</summary>
    public int RecurrentFanIn { get; init => field = Validate.AtLeast(value, "recurrent_fan_in", 0); }

    /// <summary>Neurons in the population (channels for conv).</summary>
    public int Units { get; init => field = Validate.AtLeast(value, "units", 1); }

    /// <summary>Convolution kernel size k (1 for dense).</summary>
    public int KernelSize { get; init => field = Validate.AtLeast(value, "kernel_size", 1); }

    /// <summary>The target neuron model (its parameters and surrogate).</summary>
    public Neuron Neuron { get; init => field = value ?? throw new ArgumentNullException(nameof(Neuron)); }

    /// <summary>Statistics of the input entering the connection.</summary>
    public InputStatistics Input { get; init => field = value ?? throw new ArgumentNullException(nameof(Input)); }

    /// <summary>
    /// Time steps T of the run the prediction should cover (0: none). With T ≥ 1, discrete LIF-family populations are
    /// also predicted over t = 0 … T − 1 and in the stationary regime (<see cref="Prediction.TimeCourse"/>, docs/THEORY.md §L5–L6).
    /// </summary>
    public int Steps { get; init => field = Validate.AtLeast(value, "steps", 0); }

    /// <summary>Whether the population has a recurrent afferent.</summary>
    public bool HasRecurrence => RecurrentFanIn > 0;

    /// <summary>A dense feed-forward connection of <paramref name="fanIn"/> inputs onto <paramref name="units"/> neurons.</summary>
    public static InitContext Dense(int fanIn, int units, Neuron neuron, InputStatistics input) =>
        new(ConnectionKind.Dense, fanIn, units, neuron, input);

    /// <summary>A recurrent layer of <paramref name="units"/> neurons with <paramref name="fanIn"/> feed-forward inputs.</summary>
    public static InitContext Recurrent(int fanIn, int units, Neuron neuron, InputStatistics input) =>
        new(ConnectionKind.Recurrent, fanIn, units, neuron, input, recurrentFanIn: units - 1, units: units);

    /// <summary>
    /// A 1-D convolution C_in → C_out with kernel k and a recurrent C_out → C_out convolution with kernel k_r
    /// (docs/THEORY.md §F6): fan-in C_in·k, recurrent fan-in C_out·k_r, fan-out C_out·k.
    /// </summary>
    public static InitContext RecurrentConvolution1d(int inChannels, int outChannels, int kernel, int recurrentKernel, Neuron neuron, InputStatistics input) =>
        new(ConnectionKind.RecurrentConvolution, checked(inChannels * kernel), checked(outChannels * kernel), neuron, input,
            recurrentFanIn: checked(outChannels * recurrentKernel), units: outChannels, kernelSize: kernel);

    /// <summary>A 2-D convolution C_in → C_out with a k×k kernel: fan-in C_in·k², fan-out C_out·k².</summary>
    public static InitContext Convolution(int inChannels, int outChannels, int kernel, Neuron neuron, InputStatistics input) =>
        new(ConnectionKind.Convolution, checked(inChannels * kernel * kernel), checked(outChannels * kernel * kernel), neuron, input,
            units: outChannels, kernelSize: kernel);
}
