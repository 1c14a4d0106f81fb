using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>
/// Time-aware variance-preserving initialization (docs/THEORY.md §L6): zero-mean normal weights, no bias, scaled so that
/// the layer's <b>stationary</b> firing probability (the mean field over time, §L5, with leak and reset) equals its input's
/// — so every layer of a deep network reproduces the first spiking layer's stationary activity, for any β and reset order.
/// Per layer: the target rate p* is the input's stationary rate; the input's spikes (rate p, per-neuron rate second moment
/// q = E[r²]) make a per-neuron constant current N(0, n σ_w² q) plus a per-step fluctuation of variance n σ_w² (p − q), and
/// a secant search finds the n σ_w² at which this current's membrane density (§L6.2b) fires p*, starting from the
/// static-equivalent estimate (§L6.2). The weight std is never below the first-step floor (§L6.3).
/// Real-valued input (held constant over time) keeps its second moment: <c>σ_w² = 1/n</c>, and the target is the rate it
/// produces. Recurrent layers: the feed-forward current gets a share α of σ_I*², the recurrent one (the layer's own
/// spikes at the fixed point) 1 − α; conv layers use fan-in C_in·k² (spatial correlations ignored). Discrete LIF-family
/// neurons only (LIF with every reset, k/λ). Name <c>stationary</c>.
/// </summary>
/// <param name="Alpha">Feed-forward share α ∈ (0, 1) of the current variance in recurrent layers.</param>
public sealed record Stationary(double Alpha = 0.9) : Initializer
{
    /// <summary>Feed-forward share α ∈ (0, 1) of the current variance in recurrent layers.</summary>
    public double Alpha { get; init => field = Validate.InRange(value, "alpha", 0, 1, lowOpen: true, highOpen: true); } = Alpha;

    /// <summary>Horizon of the predicted course (stationary window [200, 400): each neuron's rate within 1/200).</summary>
    private const int CourseHorizon = 400;

    /// <summary>Quadrature nodes of the predicted course (error ≤ 1/4096 per spike boundary).</summary>
    private const int CourseNodes = 4096;

    /// <summary>Quantile nodes over the per-neuron mean current of the density prediction (spike input).</summary>
    private const int DensityNodes = 64;

    /// <summary>Membrane grid cells of the density prediction (spike input; 1200 cells change the rate by ≤ 2·10⁻⁴).</summary>
    private const int DensityGrid = 300;

    /// <summary>Accepted |rate − target| of the density search, spikes per step (a drift over 100 layers ≤ 0.02).</summary>
    private const double DensityTolerance = 2e-4;

    /// <summary>Horizon of the density search (stationary window [100, 200)).</summary>
    private const int DensitySearchHorizon = 200;

    /// <inheritdoc />
    public override string Name => "stationary";

    /// <inheritdoc />
    public override LayerPlan Plan(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Neuron.Dynamics.SynapticCurrent)
            throw new ArgumentException($"{Name} is defined for discrete LIF-family neurons (lif, klambda), not {context.Neuron.Description}; use fluctuation");
        if (context.Neuron.Dynamics.Adaptation is not null)
            throw new ArgumentException($"{Name} is derived for a constant threshold, not {context.Neuron.Description} (its search would target the base threshold); use stability or another method with --initial-membrane stationary");
        MeanFieldNeuron neuron = TimeCourse.Of(context.Neuron);
        double beta = neuron.Leak;
        InputStatistics x = context.Input;
        double share = context.HasRecurrence ? Alpha : 1;
        double firstStepStd = FirstStepStd(context, neuron);
        int steps = Math.Max(context.Steps, 1);
        // targetStd: σ_I* of the constant-equivalent current; scale: the n σ_w² at which the feed-forward weights alone
        // reach the target (σ_w,stat² = share · scale / n)
        double targetStd, scale;
        bool spikeInput = x.Binary && x.StationaryMean > Math.Min(x.StationarySecondMoment, x.StationaryMean);
        if (x.Binary)
        {
            double p = x.StationaryMean, q = Math.Min(x.StationarySecondMoment, p);
            if (p <= 0)
                throw new InfeasibleInitializationException($"{Name}: the input never spikes (stationary rate 0), so no weight scale gives the layer a rate; the layer before is silent");
            Root root = MeanField.CurrentStdForRate(neuron, 0, p);
            if (!root.Found)
                throw new InfeasibleInitializationException(
                    $"{Name}: no zero-mean current reaches the input's stationary rate {Validate.Format(p)} spikes per step " +
                    (root.Status == RootStatus.TargetTooLarge ? "(at most half the neurons receive a positive current: the rate stays below ~0.5)" : "(the rate stays above it)"));
            targetStd = root.Value;
            scale = targetStd * targetStd / MeanField.StaticEquivalentVariance(q, p - q, beta);
            if (spikeInput)
            {
                // the density model (§L6.2b); when the first-step floor already reaches the target, it binds and no search is needed
                double floor = context.FanIn * firstStepStd * firstStepStd / share;
                scale = floor > 0 && Density(neuron, floor, x, 1, DensitySearchHorizon).Stationary.FiringProbability >= p
                    ? floor
                    : DensityScale(neuron, x, scale, p);
            }
        }
        else
        {
            if (!(x.SecondMoment > 0)) throw new InfeasibleInitializationException($"{Name}: the real-valued input is identically 0 (E[x^2] = 0)");
            targetStd = Math.Sqrt(x.SecondMoment);
            scale = 1; // the current keeps E[x²]
        }
        double stationaryStd = Math.Sqrt(share * scale / context.FanIn);
        var weight = new NormalWeights(0, Math.Max(stationaryStd, firstStepStd));
        bool floorBinds = firstStepStd >= stationaryStd;
        // the layer at its target (the feed-forward current alone at the full scale)
        MeanFieldCourse course = spikeInput
            ? Density(neuron, scale, x, steps, CourseHorizon)
            : MeanField.Layer(neuron, 0, targetStd, steps, CourseHorizon, CourseNodes);
        NormalWeights? recurrent = null;
        double recurrentVariance = 0;
        if (context.HasRecurrence)
        {
            MeanFieldStationary own = course.Stationary;
            double q = Math.Min(own.RateSecondMoment, own.FiringProbability);
            double ownPerWeight = context.RecurrentFanIn * MeanField.StaticEquivalentVariance(q, own.FiringProbability - q, beta);
            if (ownPerWeight <= 0)
                throw new InfeasibleInitializationException($"{Name}: the layer's stationary rate is 0, so its recurrent weights cannot carry a share of the current");
            recurrent = new NormalWeights(0, targetStd * Math.Sqrt((1 - Alpha) / ownPerWeight));
            recurrentVariance = ownPerWeight * recurrent.Std * recurrent.Std;
        }
        var notes = new List<string>
        {
            $"target: stationary rate {Validate.Format(course.Stationary.FiringProbability)} per step from a constant-equivalent current N(0, {Validate.Format(targetStd * targetStd)})",
        };
        if (floorBinds && firstStepStd > 0)
            notes.Add($"weight std {Validate.Format(firstStepStd)}: the first-step floor binds (the stationary target alone needs {Validate.Format(stationaryStd)} or less), " +
                      "so that the first step from rest keeps the input's firing probability (no silent front, §L6.3)");
        Prediction first = LayerTheory.Predict(Name, context with { Steps = 0 }, weight, recurrent, 0, PredictionRegime.FirstStep, notes: notes);
        if (floorBinds && (recurrent is not null || !spikeInput))
        {
            // driven harder than the stationary target: the time course at the weights drawn (static equivalent, §L6.2)
            (double mean, double variance) = LayerTheory.StaticEquivalentCurrent(context, weight, 0);
            course = MeanField.Layer(neuron, mean, Math.Sqrt(variance + recurrentVariance), steps, CourseHorizon, CourseNodes);
        }
        if (!course.Stationary.Converged) notes.Add("the stationary window did not converge (membrane still drifting)");
        return new LayerPlan(weight, recurrent, 0, null, LayerTheory.WithTimeCourse(first, course, stationary: true));
    }

    /// <summary>
    /// The layer fed by spike trains of stationary rate p and rate second moment q through zero-mean weights with
    /// <c>n σ_w² = <paramref name="scale"/></c>: per-neuron mean current N(0, scale·q) held fixed, plus a per-step
    /// Gaussian fluctuation of variance scale·(p − q), the membrane density propagated with the reset
    /// (<see cref="RecurrentMeanField"/> with no recurrent weights; docs/THEORY.md §L6.2b).
    /// </summary>
    private static MeanFieldCourse Density(MeanFieldNeuron neuron, double scale, InputStatistics x, int steps, int horizon)
    {
        double p = x.StationaryMean, q = Math.Min(x.StationarySecondMoment, p);
        return RecurrentMeanField.Layer(neuron, new RecurrentDrive(0, scale * q, scale * (p - q), 0, 0, 0), steps, horizon, DensityNodes, DensityGrid);
    }

    /// <summary>
    /// The <c>n σ_w²</c> at which <see cref="Density"/> fires <paramref name="target"/> spikes per step: a secant search on
    /// log(n σ_w²) from the static-equivalent estimate <paramref name="start"/> (|rate − target| ≤ <c>DensityTolerance</c> on a
    /// <c>DensitySearchHorizon</c>-step horizon).
    /// </summary>
    /// <exception cref="InfeasibleInitializationException">The search does not converge.</exception>
    private double DensityScale(MeanFieldNeuron neuron, InputStatistics x, double start, double target)
    {
        double Rate(double logScale) => Density(neuron, Math.Exp(logScale), x, 1, DensitySearchHorizon).Stationary.FiringProbability - target;
        double a = Math.Log(start), fa = Rate(a), b = a + (fa < 0 ? 0.1 : -0.1), fb = Rate(b);
        for (int i = 0; i < 20 && Math.Abs(fb) > DensityTolerance && fb != fa; i++)
        {
            double c = Math.Clamp(b - fb * (b - a) / (fb - fa), b - 1, b + 1);
            a = b; fa = fb; b = c; fb = Rate(b);
        }
        return Math.Abs(fb) <= DensityTolerance
            ? Math.Exp(b)
            : throw new InfeasibleInitializationException($"{Name}: no weight scale reaches the input's stationary rate {Validate.Format(target)} spikes per step in the density model (closest {Validate.Format(fb + target)})");
    }

    /// <summary>
    /// The weight std at which the first step from rest (u₀ = g·I₀, I₀ ~ N(0, n σ_w² p₀)) fires with the input's
    /// first-step probability p₀ (docs/THEORY.md §L6.3, Micheli's fixed point at t = 0): <c>σ_w = θ/(g z √(n p₀))</c>,
    /// z = Φ⁻¹(1 − p₀); 0 (no constraint) for real-valued input or p₀ ∉ (0, ½).
    /// </summary>
    private static double FirstStepStd(InitContext context, MeanFieldNeuron neuron)
    {
        InputStatistics x = context.Input;
        if (!x.Binary || x.Mean <= 0 || x.Mean >= 0.5) return 0;
        double z = -MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, x.Mean);
        return neuron.Theta / (neuron.Gain * z * Math.Sqrt(context.FanIn * x.Mean));
    }
}
