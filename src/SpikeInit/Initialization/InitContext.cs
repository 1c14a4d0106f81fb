using SpikeInit.Neurons;
using SpikeInit.Theory;

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
}

/// <summary>
/// Statistics of the input <c>x</c> that enters a connection at one time step: its mean and variance (so
/// <c>E[x²] = Var + mean²</c>), whether it is binary spikes (then <c>E[x] = E[x²]</c> = firing probability), the
/// presynaptic rate ν and, for Micheli et al.'s σ, the presynaptic membrane's mean and variance.
/// </summary>
public sealed record InputStatistics
{
    /// <summary>Creates the statistics; prefer the factories <see cref="Gaussian"/>, <see cref="Spikes"/>, <see cref="FromMembrane"/>.</summary>
    public InputStatistics(double mean, double variance, bool binary, double? rate = null, double membraneMean = 0, double membraneVariance = 1)
    {
        Mean = mean;
        Variance = variance;
        Binary = binary;
        Rate = rate;
        MembraneMean = membraneMean;
        MembraneVariance = membraneVariance;
        if (binary && Math.Abs(variance - mean * (1 - mean)) > 1e-9)
            throw new ArgumentException($"binary input with mean {Validate.Format(mean)} must have variance p(1 - p) = {Validate.Format(mean * (1 - mean))}, got {Validate.Format(variance)}", nameof(variance));
    }

    /// <summary>E[x].</summary>
    public double Mean { get; init => field = Validate.Finite(value, "input_mean"); }

    /// <summary>Var[x] ≥ 0.</summary>
    public double Variance { get; init => field = Validate.NonNegativeFinite(value, "input_variance"); }

    /// <summary>Whether x ∈ {0, 1} (spikes).</summary>
    public bool Binary { get; init; }

    /// <summary>
    /// Presynaptic rate ν in 1/(time unit of the target neuron): Hz for current-based neurons (times in s),
    /// spikes per step for discrete LIF-family neurons. Null when unknown.
    /// </summary>
    public double? Rate { get; init => field = value is { } v ? Validate.Positive(v, "rate") : null; }

    /// <summary>Mean of the presynaptic membrane (Micheli's u_{l−1}); 0 unless known.</summary>
    public double MembraneMean { get; init => field = Validate.Finite(value, "membrane_mean"); }

    /// <summary>Variance σ² of the presynaptic membrane (Micheli's σ²); 1 unless known.</summary>
    public double MembraneVariance { get; init => field = Validate.Positive(value, "input_membrane_variance"); }

    /// <summary>E[x²] = Var[x] + E[x]².</summary>
    public double SecondMoment => Variance + Mean * Mean;

    /// <summary>P(x = 1) for spikes, null for real-valued input.</summary>
    public double? FiringProbability => Binary ? Mean : null;

    /// <summary>Real-valued input (e.g. standardized pixels, Micheli's I₀ ~ N(0, 1)).</summary>
    public static InputStatistics Gaussian(double mean = 0, double variance = 1) =>
        new(mean, variance, binary: false, membraneMean: mean, membraneVariance: Math.Max(variance, double.Epsilon));

    /// <summary>Binary spikes with firing probability p per step, optionally with a rate ν and the presynaptic membrane's moments.</summary>
    public static InputStatistics Spikes(double probability, double? rate = null, double membraneMean = 0, double membraneVariance = 1)
    {
        double p = Validate.InRange(probability, "firing_probability", 0, 1);
        return new InputStatistics(p, p * (1 - p), binary: true, rate, membraneMean, membraneVariance);
    }

    /// <summary>
    /// Spikes of a presynaptic layer whose membrane is N(μ, σ²) with threshold θ: p = P(u &gt; θ) (Micheli et al. Eq. 12).
    /// </summary>
    public static InputStatistics FromMembrane(double theta, double membraneVariance = 1, double membraneMean = 0, double? rate = null)
    {
        double sigma = Math.Sqrt(Validate.Positive(membraneVariance, "input_membrane_variance"));
        double p = Theory.Gaussian.Tail((Validate.Positive(theta, "theta") - Validate.Finite(membraneMean, "membrane_mean")) / sigma);
        return Spikes(p, rate, membraneMean, membraneVariance);
    }

    /// <summary>Poisson spike trains at <paramref name="rateHz"/> sampled every <paramref name="dt"/> seconds (p = ν·dt).</summary>
    public static InputStatistics Poisson(double rateHz, double dt)
    {
        double p = Validate.Positive(rateHz, "rate") * Validate.Positive(dt, "dt");
        if (p > 1) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, $"rate = {Validate.Format(rateHz)} Hz with dt = {Validate.Format(dt)} s gives more than one spike per step (rate*dt = {Validate.Format(p)} > 1)");
        return Spikes(p, rateHz);
    }
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
        if (kind == ConnectionKind.Recurrent && recurrentFanIn < 1)
            throw new ArgumentOutOfRangeException(nameof(recurrentFanIn), recurrentFanIn, "a recurrent connection needs recurrent_fan_in >= 1 (at least 2 neurons: the diagonal is masked)");
        if (kind != ConnectionKind.Recurrent && recurrentFanIn != 0)
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

    /// <summary>Whether the population has a recurrent afferent.</summary>
    public bool HasRecurrence => RecurrentFanIn > 0;

    /// <summary>A dense feed-forward connection of <paramref name="fanIn"/> inputs onto <paramref name="units"/> neurons.</summary>
    public static InitContext Dense(int fanIn, int units, Neuron neuron, InputStatistics input) =>
        new(ConnectionKind.Dense, fanIn, units, neuron, input);

    /// <summary>A recurrent layer of <paramref name="units"/> neurons with <paramref name="fanIn"/> feed-forward inputs.</summary>
    public static InitContext Recurrent(int fanIn, int units, Neuron neuron, InputStatistics input) =>
        new(ConnectionKind.Recurrent, fanIn, units, neuron, input, recurrentFanIn: units - 1, units: units);

    /// <summary>A 2-D convolution C_in → C_out with a k×k kernel: fan-in C_in·k², fan-out C_out·k².</summary>
    public static InitContext Convolution(int inChannels, int outChannels, int kernel, Neuron neuron, InputStatistics input) =>
        new(ConnectionKind.Convolution, checked(inChannels * kernel * kernel), checked(outChannels * kernel * kernel), neuron, input,
            units: outChannels, kernelSize: kernel);
}

/// <summary>Which statistics a prediction describes.</summary>
public enum PredictionRegime
{
    /// <summary>The first time step of a discrete neuron from rest: u₀ = g·I₀ (Micheli's and Ding's single-step analysis).</summary>
    FirstStep,
    /// <summary>The stationary free (no-reset) membrane under Poisson input, by Campbell's theorem (Rossbroich et al.).</summary>
    FreeMembrane,
    /// <summary>The stationary state that stability condition I targets (E[v] = ϑ, P(x = 1) = 1/2).</summary>
    StabilityCondition,
}

/// <summary>
/// What an initializer predicts for a population before anything is simulated. Current and membrane moments are
/// ensemble statistics over weights and inputs; <see cref="Regime"/> says which state they describe. Null where the
/// method does not define the quantity.
/// </summary>
public sealed record Prediction
{
    /// <summary>Method name.</summary>
    public required string Method { get; init; }
    /// <summary>Mean of the (feed-forward) weights.</summary>
    public required double WeightMean { get; init; }
    /// <summary>Standard deviation of the (feed-forward) weights.</summary>
    public required double WeightStd { get; init; }
    /// <summary>Mean of the recurrent weights, if any.</summary>
    public double? RecurrentWeightMean { get; init; }
    /// <summary>Standard deviation of the recurrent weights, if any.</summary>
    public double? RecurrentWeightStd { get; init; }
    /// <summary>The bias (a constant per neuron).</summary>
    public double Bias { get; init; }
    /// <summary>Which state the statistics describe.</summary>
    public PredictionRegime Regime { get; init; }
    /// <summary>Mean of the input current per step, <c>I = W·x + b</c>.</summary>
    public double? InputCurrentMean { get; init; }
    /// <summary>Variance of the input current per step.</summary>
    public double? InputCurrentVariance { get; init; }
    /// <summary>Mean of the membrane potential.</summary>
    public double? MembraneMean { get; init; }
    /// <summary>Standard deviation of the membrane potential.</summary>
    public double? MembraneStd { get; init; }
    /// <summary>
    /// Free membrane only: standard deviation across neurons of the per-neuron mean membrane for one weight draw,
    /// <c>√(Σ n ν² ε̄² σ_w²)</c>. <see cref="MembraneStd"/> is the temporal fluctuation of one neuron (Campbell).
    /// </summary>
    public double? MembraneMeanSpread { get; init; }
    /// <summary>Probability that a neuron spikes in one step (Gaussian membrane: P(u &gt; θ)).</summary>
    public double? FiringProbability { get; init; }
    /// <summary>Stationary spikes per step under the method's rate model (k/λ family: constant-current f–i curve).</summary>
    public double? RatePerStep { get; init; }
    /// <summary>Surrogate dampening γ chosen by the method (stability-based).</summary>
    public double? SurrogateDampening { get; init; }
    /// <summary>Surrogate sharpness β chosen by the method (stability-based).</summary>
    public double? SurrogateSharpness { get; init; }
    /// <summary>q-PseudoSpike tail-fatness chosen by the method (stability-based).</summary>
    public double? SurrogateTailFatness { get; init; }
    /// <summary>Conditions that could not be met, choices the method made, and assumptions worth knowing.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The statistics of this population's output, i.e. the next layer's input.</summary>
    public required InputStatistics Output { get; init; }
}

/// <summary>
/// A complete initialization of one population: the weight distributions, the bias, the surrogate the method
/// recommends (null: keep the neuron's), and the prediction. Pure data; <see cref="Apply"/> draws the tensors.
/// </summary>
/// <param name="Weight">Distribution of the feed-forward (or conv) weights.</param>
/// <param name="RecurrentWeight">Distribution of the recurrent weights, or null.</param>
/// <param name="Bias">Constant bias per neuron.</param>
/// <param name="Surrogate">Surrogate recommended by the method, or null.</param>
/// <param name="Theory">What the method predicts.</param>
public sealed record LayerPlan(WeightDistribution Weight, WeightDistribution? RecurrentWeight, double Bias,
                               Surrogates.Surrogate? Surrogate, Prediction Theory)
{
    /// <summary>
    /// Draws the weights into <paramref name="weight"/> (<c>[out, in, ...]</c>), <paramref name="recurrentWeight"/>
    /// (<c>[units, units]</c>, when the plan has one) and fills <paramref name="bias"/>, in place and without gradient,
    /// from <paramref name="generator"/>. A non-zero bias needs a bias tensor.
    /// </summary>
    public void Apply(TorchSharp.torch.Tensor weight, TorchSharp.torch.Tensor? bias = null, TorchSharp.torch.Tensor? recurrentWeight = null,
                      TorchSharp.torch.Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (Bias != 0 && bias is null)
            throw new ArgumentException($"{Theory.Method} sets a bias of {Validate.Format(Bias)}, but the layer has no bias (build it with bias)", nameof(bias));
        if (RecurrentWeight is not null && recurrentWeight is null)
            throw new ArgumentException($"{Theory.Method} initializes recurrent weights, but none were passed", nameof(recurrentWeight));
        using var _ = TorchSharp.torch.no_grad();
        Weight.Fill(weight, generator);
        if (RecurrentWeight is not null) RecurrentWeight.Fill(recurrentWeight!, generator);
        bias?.fill_(Bias);
    }
}
