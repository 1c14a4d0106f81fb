using SpikeInit.Neurons;
using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>
/// The forward theory every method shares: the per-step current <c>I = W·x + b</c> of a connection with i.i.d.
/// weights and independent inputs has <c>E[I] = n μ_w E[x] + b</c> and <c>Var[I] = n(σ_w² E[x²] + μ_w² Var[x])</c>;
/// discrete neurons are predicted at their first step (<c>u₀ = g·I₀</c>), current-based neurons as the free membrane
/// by Campbell's theorem (<c>μ_U = Σ n ν μ_w ε̄</c>, <c>σ_U² = Σ n ν E[w²] ε̂</c>); P(fire) = P(u &gt; θ) for a
/// Gaussian membrane.
/// </summary>
public static class LayerTheory
{
    /// <summary>The regime in which a neuron model is predicted by default.</summary>
    public static PredictionRegime DefaultRegime(Neuron neuron) =>
        (neuron ?? throw new ArgumentNullException(nameof(neuron))).Dynamics.SynapticCurrent ? PredictionRegime.FreeMembrane : PredictionRegime.FirstStep;

    /// <summary>Predicts the statistics of a population for the given weight distributions and bias.</summary>
    public static Prediction Predict(string method, InitContext context, WeightDistribution weight, WeightDistribution? recurrent,
                                     double bias, PredictionRegime regime, EpsilonMode epsilon = EpsilonMode.Numerical,
                                     IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(weight);
        InputStatistics x = context.Input;
        double currentMean = context.FanIn * weight.Mean * x.Mean + bias;
        double currentVariance = context.FanIn * (weight.Std * weight.Std * x.SecondMoment + weight.Mean * weight.Mean * x.Variance);
        var prediction = new Prediction
        {
            Method = method,
            WeightMean = weight.Mean,
            WeightStd = weight.Std,
            RecurrentWeightMean = recurrent?.Mean,
            RecurrentWeightStd = recurrent?.Std,
            Bias = bias,
            Regime = regime,
            InputCurrentMean = currentMean,
            InputCurrentVariance = currentVariance,
            Notes = notes ?? [],
            Output = x,
        };
        prediction = regime == PredictionRegime.FreeMembrane
            ? FreeMembrane(prediction, context, weight, recurrent, bias, epsilon)
            : FirstStep(prediction, context, currentMean, currentVariance);
        return context.Steps > 0 && !context.Neuron.Dynamics.SynapticCurrent ? OverTime(prediction, context, weight, recurrent, bias) : prediction;
    }

    /// <summary>
    /// The constant per-neuron current equivalent to a feed-forward connection's current over time (docs/THEORY.md §L6.2):
    /// real-valued input is held constant over the steps, so <c>I</c> is; spikes with stationary rate p and per-neuron
    /// rate second moment q = E[r²] give a static part of variance <c>n(σ_w² q + μ_w² (q − p²))</c> across neurons and a
    /// temporal fluctuation of variance <c>n(σ_w² + μ_w²)(p − q)</c>, folded in by
    /// <see cref="MeanField.StaticEquivalentVariance"/>. Mean <c>n μ_w p + b</c>.
    /// </summary>
    public static (double Mean, double Variance) StaticEquivalentCurrent(InitContext context, WeightDistribution weight, double bias)
    {
        RecurrentDrive d = Drive(context, weight, bias, null);
        return (d.InputMean, MeanField.StaticEquivalentVariance(d.InputQuenchedVariance, d.InputTemporalVariance, context.Neuron.Dynamics.Leak));
    }

    /// <summary>
    /// A connection's current split as the mean field over time needs it (docs/THEORY.md §L6.1): the per-neuron mean
    /// (constant over time; across neurons mean <c>n μ_w p + b</c>, variance <c>n σ_w² q</c>) and the per-step fluctuation
    /// <c>n E[w²](p − q)</c> of spike input with stationary rate p and rate second moment q; real-valued input is held
    /// constant (no fluctuation). With <paramref name="recurrent"/>, the layer's own spikes feed back through it.
    /// </summary>
    public static RecurrentDrive Drive(InitContext context, WeightDistribution weight, double bias, WeightDistribution? recurrent)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(weight);
        InputStatistics x = context.Input;
        double n = context.FanIn, mu2 = weight.Mean * weight.Mean, var = weight.Std * weight.Std;
        var (mean, quenched, temporal) = x.Binary
            ? (n * weight.Mean * x.StationaryMean + bias,
               n * (var * Math.Min(x.StationarySecondMoment, x.StationaryMean) + mu2 * Math.Max(Math.Min(x.StationarySecondMoment, x.StationaryMean) - x.StationaryMean * x.StationaryMean, 0)),
               n * (var + mu2) * (x.StationaryMean - Math.Min(x.StationarySecondMoment, x.StationaryMean)))
            : (n * weight.Mean * x.Mean + bias, n * (var * x.SecondMoment + mu2 * x.Variance), 0.0);
        return new RecurrentDrive(mean, quenched, temporal, recurrent is null ? 0 : context.RecurrentFanIn,
                                  recurrent?.Mean ?? 0, recurrent is null ? 0 : recurrent.Std * recurrent.Std);
    }

    /// <summary>
    /// Attaches a mean-field time course to <paramref name="prediction"/> and, when <paramref name="stationary"/> is set,
    /// makes its membrane and firing fields the stationary values; the output keeps its per-step (first-step) statistics
    /// and carries the stationary rate and E[r²].
    /// </summary>
    public static Prediction WithTimeCourse(Prediction prediction, MeanFieldCourse course, bool stationary)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(course);
        MeanFieldStationary st = course.Stationary;
        InputStatistics output = prediction.Output with { StationaryRate = st.FiringProbability, RateSecondMoment = Math.Min(st.RateSecondMoment, st.FiringProbability) };
        return stationary
            ? prediction with
            {
                TimeCourse = course, Regime = PredictionRegime.Stationary, MembraneMean = st.MembraneMean,
                MembraneStd = Math.Sqrt(st.MembraneVariance), FiringProbability = st.FiringProbability, Output = output,
            }
            : prediction with { TimeCourse = course, Output = output };
    }

    private static Prediction OverTime(Prediction p, InitContext context, WeightDistribution weight, WeightDistribution? recurrent, double bias)
    {
        if (recurrent is not null)
        {
            // the layer's own spikes feed back: the self-consistent recurrent mean field (docs/THEORY.md §S3.3 addendum)
            RecurrentDrive drive = Drive(context, weight, bias, recurrent);
            MeanFieldCourse course = TimeCourse.Adapted(context.Neuron, n => RecurrentMeanField.Layer(n, drive, context.Steps));
            return WithTimeCourse(p, course, stationary: false);
        }
        (double mean, double variance) = StaticEquivalentCurrent(context, weight, bias);
        return WithTimeCourse(p, TimeCourse.Predict(context.Neuron, mean, Math.Sqrt(variance), context.Steps), stationary: false);
    }

    /// <summary>P(u &gt; θ) for u ~ N(μ, σ²) (a step function when σ = 0).</summary>
    public static double FiringProbability(double theta, double mean, double std) =>
        std > 0 ? Gaussian.Tail((theta - mean) / std) : mean > theta ? 1 : 0;

    /// <summary>
    /// First-step membrane of a discrete neuron from rest driven by a Gaussian current: <c>u₀ = g·I₀</c>, P(u₀ &gt; θ),
    /// and for the k/λ family the stationary rate of <see cref="DingTheory.MeanStationaryRate"/>; the output spikes
    /// fire with that rate (k/λ) or probability (LIF).
    /// </summary>
    public static FirstStepMembrane FirstStep(Neuron neuron, double currentMean, double currentVariance)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        NeuronDynamics dynamics = neuron.Dynamics;
        if (dynamics.SynapticCurrent)
            throw new ArgumentException($"first-step theory is defined for discrete LIF-family neurons, not {neuron.Description}", nameof(neuron));
        double gain = dynamics.InputGain;
        double mean = gain * currentMean, std = gain * Math.Sqrt(currentVariance);
        double fire = FiringProbability(neuron.Threshold, mean, std);
        double? rate = neuron.StationaryRate(currentMean, Math.Sqrt(currentVariance));
        double p = rate ?? fire;
        return new FirstStepMembrane(mean, std, fire, rate,
                                     InputStatistics.Spikes(p, p > 0 ? p : null, mean, Math.Max(std * std, double.Epsilon)));
    }

    private static Prediction FirstStep(Prediction p, InitContext context, double currentMean, double currentVariance)
    {
        FirstStepMembrane m = FirstStep(context.Neuron, currentMean, currentVariance);
        return p with { MembraneMean = m.Mean, MembraneStd = m.Std, FiringProbability = m.FiringProbability, RatePerStep = m.RatePerStep, Output = m.Output };
    }

    private static Prediction FreeMembrane(Prediction p, InitContext context, WeightDistribution weight, WeightDistribution? recurrent,
                                           double bias, EpsilonMode epsilon)
    {
        double? rate = PresynapticRate(context);
        if (rate is not { } nu)
            return p with { Notes = [.. p.Notes, "membrane not predicted: the presynaptic rate nu is unknown (give --rate)"] };
        KernelIntegrals eps = context.Neuron.KernelIntegrals(epsilon);
        double mean = bias + context.FanIn * nu * weight.Mean * eps.Mean;
        double variance = context.FanIn * nu * weight.SecondMoment * eps.Square;
        double spread = context.FanIn * Sq(nu * eps.Mean * weight.Std);
        if (recurrent is not null)
        {
            mean += context.RecurrentFanIn * nu * recurrent.Mean * eps.Mean;
            variance += context.RecurrentFanIn * nu * recurrent.SecondMoment * eps.Square;
            spread += context.RecurrentFanIn * Sq(nu * eps.Mean * recurrent.Std);
        }
        double std = Math.Sqrt(variance);
        double fire = FiringProbability(context.Neuron.Threshold, mean, std);
        // stork propagates one global rate ν through the network; the output keeps it.
        double perStep = context.Neuron.Dynamics.ProbabilityOf(nu);
        p = p with
        {
            MembraneMean = mean,
            MembraneStd = std,
            MembraneMeanSpread = Math.Sqrt(spread),
            FiringProbability = fire,
            Output = InputStatistics.Spikes(perStep, nu, mean, Math.Max(variance, double.Epsilon)),
        };
        if (context.Steps == 0) return p;
        if (context.Neuron.CurrentsPerNeuron > 1)
            return p with { Notes = [.. p.Notes, "no time course: the free membrane over time is predicted for one current channel per neuron"] };
        return p with { TimeCourse = FreeMembraneOverTime(context, weight, recurrent, bias, perStep) };
    }

    /// <summary>
    /// The membrane from rest over time (<see cref="FreeMembraneCourse"/>, docs/THEORY.md §F4.1): every afferent spikes
    /// with probability p = ν·Δt per step, so the current per step has mean <c>Σ n μ_w p</c>, spread across neurons
    /// <c>Σ n σ_w² p²</c> and shot noise <c>Σ n E[w²] p(1 − p)</c> (Bernoulli spikes per step; Campbell's ν ε̂ of the
    /// stationary prediction is the Poisson limit p → 0); a bias is the membrane offset of the stationary prediction,
    /// reached with the kernel's mean.
    /// </summary>
    private static MeanFieldCourse FreeMembraneOverTime(InitContext context, WeightDistribution weight, WeightDistribution? recurrent,
                                                        double bias, double perStep)
    {
        double[] kernel = DecayedKernel(context.Neuron, context.Steps);
        double total = kernel.Sum();
        double mean = context.FanIn * weight.Mean * perStep + (total != 0 ? bias / total : 0);
        double quenched = context.FanIn * Sq(weight.Std * perStep);
        double shot = context.FanIn * weight.SecondMoment * perStep * (1 - perStep);
        if (recurrent is not null)
        {
            mean += context.RecurrentFanIn * recurrent.Mean * perStep;
            quenched += context.RecurrentFanIn * Sq(recurrent.Std * perStep);
            shot += context.RecurrentFanIn * recurrent.SecondMoment * perStep * (1 - perStep);
        }
        return FreeMembraneCourse.Predict(kernel, mean, quenched, shot, context.Neuron.Threshold, context.Steps, context.Neuron.Dynamics.Reset != LifReset.None);
    }

    /// <summary>The model's impulse response over at least <paramref name="steps"/> steps, long enough to decay below 10⁻⁹ of its peak (≤ 65,536 steps).</summary>
    private static double[] DecayedKernel(Neuron neuron, int steps)
    {
        for (int length = Math.Max(steps, 256); ; length *= 2)
        {
            double[] k = neuron.ImpulseResponse(length);
            if (Math.Abs(k[^1]) <= 1e-9 * k.Max(Math.Abs) || length >= 1 << 16) return k;
        }
    }

    private static double Sq(double x) => x * x;

    /// <summary>ν in the neuron's time unit: the given rate, or for spikes the per-step probability (÷ dt for CUBA).</summary>
    internal static double? PresynapticRate(InitContext context)
    {
        InputStatistics x = context.Input;
        if (x.Rate is { } r) return r;
        if (!x.Binary || x.Mean <= 0) return null;
        return context.Neuron.Dynamics.RateOf(x.Mean);
    }

    /// <summary>ν for methods that cannot work without it, with a clear error.</summary>
    internal static double RequireRate(InitContext context, string method) =>
        PresynapticRate(context) ?? throw new ArgumentException(
            $"{method} needs the presynaptic rate nu (--rate, in Hz for current-based neurons, spikes per step for discrete ones); the input statistics give none");
}

/// <summary>First-step membrane statistics of a discrete neuron (<see cref="LayerTheory.FirstStep(Neuron, double, double)"/>).</summary>
/// <param name="Mean">E[u₀].</param>
/// <param name="Std">Std[u₀].</param>
/// <param name="FiringProbability">P(u₀ &gt; θ).</param>
/// <param name="RatePerStep">Stationary rate (k/λ family), else null.</param>
/// <param name="Output">Statistics of the emitted spikes.</param>
public sealed record FirstStepMembrane(double Mean, double Std, double FiringProbability, double? RatePerStep, InputStatistics Output);
