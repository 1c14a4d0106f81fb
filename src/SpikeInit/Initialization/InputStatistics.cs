using SpikeInit.Neurons;

namespace SpikeInit.Initialization;

/// <summary>What feeds a layer, as <see cref="InputStatistics.Describe"/> reads it.</summary>
public enum InputKind
{
    /// <summary>Spikes of a presynaptic population.</summary>
    Spikes,
    /// <summary>Real-valued Gaussian input (e.g. currents into an encoding layer).</summary>
    Gaussian,
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

    /// <summary>
    /// Spikes only: the stationary spikes per step of the presynaptic population (the mean field over time, docs/THEORY.md
    /// §L5–L6); null when unknown (then <see cref="Mean"/> stands for it: spikes independent over time, e.g. Poisson).
    /// </summary>
    public double? StationaryRate { get; init => field = value is { } v ? Validate.InRange(v, "stationary_rate", 0, 1) : null; }

    /// <summary>
    /// Spikes only: E[r²], the second moment over presynaptic neurons of each one's long-run spike fraction r — the part
    /// of E[s²] = p that is constant in time per neuron (§L6.1). Null when unknown: every neuron fires with the same
    /// rate, E[r²] = p².
    /// </summary>
    public double? RateSecondMoment { get; init => field = value is { } v ? Validate.InRange(v, "rate_second_moment", 0, 1) : null; }

    /// <summary>The stationary spikes per step: <see cref="StationaryRate"/>, else <see cref="Mean"/>.</summary>
    public double StationaryMean => StationaryRate ?? Mean;

    /// <summary>E[r²]: <see cref="RateSecondMoment"/>, else that of neurons that all fire with <see cref="StationaryMean"/>.</summary>
    public double StationarySecondMoment => RateSecondMoment ?? StationaryMean * StationaryMean;

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

    /// <summary>
    /// The statistics of a layer's input as a user describes them: real-valued N(mean, variance) (<see cref="InputKind.Gaussian"/>),
    /// or spikes — with a measured firing probability, as Poisson trains of <paramref name="rate"/> for neurons with physical
    /// time (rate in Hz, probability rate·dt per step), or from a presynaptic Gaussian membrane N(mean, variance) that
    /// fires above the target neuron's threshold. <paramref name="rate"/> is in the unit of <paramref name="neuron"/>.
    /// </summary>
    public static InputStatistics Describe(InputKind kind, double mean, double variance, double? firingProbability, double? rate, Neuron neuron)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        Validate.Positive(variance, "input-variance");
        if (rate is { } perStep && neuron.Dynamics.TimeStep is null && !(perStep > 0 && perStep < 1))
            throw new ArgumentOutOfRangeException(nameof(rate), perStep, $"rate = {Validate.Format(perStep)} is outside (0, 1): {neuron.Description} is a discrete "
                                                                      + "neuron, so the rate is in spikes per step (Hz only for current-based neurons)");
        if (Validate.Defined(kind, "input") == InputKind.Gaussian) return Gaussian(mean, variance) with { Rate = rate };
        if (firingProbability is { } p) return Spikes(p, rate, mean, variance);
        if (rate is { } r && neuron.Dynamics.TimeStep is { } dt) return Poisson(r, dt) with { MembraneMean = mean, MembraneVariance = variance };
        return FromMembrane(neuron.Threshold, variance, mean, rate);
    }

    /// <summary>
    /// The input of a connection that receives several populations side by side (a skip readout): each part with its
    /// statistics and its number of features. An input drawn at random is from part i with probability w_i = F_i / ΣF, so
    /// every moment is the w-weighted mixture: E[x] = Σ w_i E[x_i], E[x²] = Σ w_i E[x_i²] (and so for the presynaptic
    /// membrane and, for spikes, the stationary rate and E[r²]); binary when every part is; the rate when every part has one.
    /// </summary>
    public static InputStatistics Concatenated(IReadOnlyList<(InputStatistics Part, long Features)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0 || parts.Any(p => p.Part is null || p.Features < 1))
            throw new ArgumentException("a concatenated input needs at least one part, each with statistics and at least one feature", nameof(parts));
        double total = parts.Sum(p => (double)p.Features);
        double Mix(Func<InputStatistics, double> moment) => parts.Sum(p => p.Features / total * moment(p.Part));
        double mean = Mix(p => p.Mean), membraneMean = Mix(p => p.MembraneMean);
        bool binary = parts.All(p => p.Part.Binary);
        double variance = binary ? mean * (1 - mean) : Math.Max(Mix(p => p.SecondMoment) - mean * mean, 0);
        double membraneVariance = Math.Max(Mix(p => p.MembraneVariance + p.MembraneMean * p.MembraneMean) - membraneMean * membraneMean, double.Epsilon);
        double? rate = parts.All(p => p.Part.Rate is not null) ? Mix(p => p.Rate!.Value) : null;
        return new InputStatistics(mean, variance, binary, rate, membraneMean, membraneVariance)
        {
            StationaryRate = binary ? Math.Clamp(Mix(p => p.StationaryMean), 0, 1) : null,
            RateSecondMoment = binary ? Math.Clamp(Mix(p => p.StationarySecondMoment), 0, 1) : null,
        };
    }

    /// <summary>Poisson spike trains at <paramref name="rateHz"/> sampled every <paramref name="dt"/> seconds (p = ν·dt).</summary>
    public static InputStatistics Poisson(double rateHz, double dt)
    {
        double p = Validate.Positive(rateHz, "rate") * Validate.Positive(dt, "dt");
        if (p > 1) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, $"rate = {Validate.Format(rateHz)} Hz with dt = {Validate.Format(dt)} s gives more than one spike per step (rate*dt = {Validate.Format(p)} > 1)");
        return Spikes(p, rateHz);
    }
}
