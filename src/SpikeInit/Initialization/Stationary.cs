using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>
/// Time-aware variance-preserving initialization (docs/THEORY.md §L6): zero-mean normal weights, no bias, scaled so that
/// the layer's <b>stationary</b> firing probability (the mean field over time, §L5, with leak and reset) equals its input's
/// — so every layer of a deep network reproduces the first spiking layer's stationary activity, for any β and reset order.
/// Per layer: the target rate p* is the input's stationary rate; a root search gives the σ_I* of a per-neuron constant
/// current N(0, σ_I*²) with stationary rate p*; the input's spikes (rate p, per-neuron rate second moment q = E[r²]) make
/// a current with static-equivalent variance <c>n σ_w² (q + (p − q)(1 − β)/(1 + β))</c> (§L6.2), which is set to σ_I*².
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

    /// <summary>Membrane grid cells of the density prediction (spike input).</summary>
    private const int DensityGrid = 1200;

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
        MeanFieldNeuron neuron = TimeCourse.Of(context.Neuron);
        double beta = neuron.Leak;
        InputStatistics x = context.Input;
        double targetStd, perWeight;
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
            perWeight = context.FanIn * MeanField.StaticEquivalentVariance(q, p - q, beta);
            // the search's start is the static equivalent's n σ_w²; the density's replaces it (σ_w² = σ_I*²/perWeight)
            if (p > q) perWeight = context.FanIn * targetStd * targetStd / DensityScale(neuron, x, context.FanIn * targetStd * targetStd / perWeight, p);
        }
        else
        {
            targetStd = Math.Sqrt(x.SecondMoment);
            perWeight = context.FanIn * x.SecondMoment;
            if (perWeight <= 0) throw new InfeasibleInitializationException($"{Name}: the real-valued input is identically 0 (E[x^2] = 0)");
        }
        double share = context.HasRecurrence ? Alpha : 1;
        double stationaryStd = targetStd * Math.Sqrt(share / perWeight);
        double firstStepStd = FirstStepStd(context, neuron);
        var weight = new NormalWeights(0, Math.Max(stationaryStd, firstStepStd));
        int steps = Math.Max(context.Steps, 1);
        // the layer at its target; recomputed below at the weights drawn when the first-step floor binds
        MeanFieldCourse course = x.Binary && x.StationaryMean > Math.Min(x.StationarySecondMoment, x.StationaryMean)
            ? Density(neuron, context.FanIn * stationaryStd * stationaryStd / share, x, steps, CourseHorizon)
            : MeanField.Layer(neuron, 0, targetStd, steps, CourseHorizon, CourseNodes);
        NormalWeights? recurrent = null;
        if (context.HasRecurrence)
        {
            MeanFieldStationary own = course.Stationary;
            double q = Math.Min(own.RateSecondMoment, own.FiringProbability);
            double ownPerWeight = context.RecurrentFanIn * MeanField.StaticEquivalentVariance(q, own.FiringProbability - q, beta);
            if (ownPerWeight <= 0)
                throw new InfeasibleInitializationException($"{Name}: the layer's stationary rate is 0, so its recurrent weights cannot carry a share of the current");
            recurrent = new NormalWeights(0, targetStd * Math.Sqrt((1 - Alpha) / ownPerWeight));
        }
        var notes = new List<string>
        {
            $"target: stationary rate {Validate.Format(course.Stationary.FiringProbability)} per step from a constant-equivalent current N(0, {Validate.Format(targetStd * targetStd)})",
        };
        if (firstStepStd > stationaryStd)
            notes.Add($"weight std raised from {Validate.Format(stationaryStd)} (stationary) to {Validate.Format(firstStepStd)} so that the first step from rest keeps the input's firing probability (no silent front, §L6.3)");
        if (!course.Stationary.Converged) notes.Add("the stationary window did not converge (membrane still drifting)");
        Prediction first = LayerTheory.Predict(Name, context with { Steps = 0 }, weight, recurrent, 0, PredictionRegime.FirstStep, notes: notes);
        if (firstStepStd > stationaryStd)
        {
            // the layer is driven harder than the stationary target: predict its time course at the weights it gets
            (double mean, double variance) = LayerTheory.StaticEquivalentCurrent(context, weight, 0);
            double recurrentVariance = 0;
            if (recurrent is not null)
            {
                MeanFieldStationary own = course.Stationary;
                double q = Math.Min(own.RateSecondMoment, own.FiringProbability);
                recurrentVariance = context.RecurrentFanIn * recurrent.Std * recurrent.Std * MeanField.StaticEquivalentVariance(q, own.FiringProbability - q, beta);
            }
            course = x.Binary && x.StationaryMean > Math.Min(x.StationarySecondMoment, x.StationaryMean) && recurrent is null
                ? Density(neuron, context.FanIn * weight.Std * weight.Std, x, steps, CourseHorizon)
                : MeanField.Layer(neuron, mean, Math.Sqrt(variance + recurrentVariance), steps, CourseHorizon, CourseNodes);
        }
        return new LayerPlan(weight, recurrent, 0, null, LayerTheory.WithTimeCourse(first, course, stationary: true));
    }

    /// <summary>
    /// The layer fed by spike trains of stationary rate p and rate second moment q through zero-mean weights with
    /// <c>n σ_w² = <paramref name="scale"/></c>: per-neuron mean current N(0, scale·q) held fixed, plus a per-step
    /// Gaussian fluctuation of variance scale·(p − q), the membrane density propagated with the reset
    /// (<see cref="RecurrentMeanField"/> with no recurrent weights; docs/THEORY.md §L6.2).
    /// </summary>
    private static MeanFieldCourse Density(MeanFieldNeuron neuron, double scale, InputStatistics x, int steps, int horizon)
    {
        double p = x.StationaryMean, q = Math.Min(x.StationarySecondMoment, p);
        return RecurrentMeanField.Layer(neuron, new RecurrentDrive(0, scale * q, scale * (p - q), 0, 0, 0), steps, horizon, DensityNodes, DensityGrid);
    }

    /// <summary>
    /// The <c>n σ_w²</c> at which <see cref="Density"/> fires <paramref name="target"/> spikes per step: a secant search on
    /// log(n σ_w²) from the static-equivalent estimate <paramref name="start"/> (|rate − target| ≤ 10⁻³ on a
    /// <c>DensitySearchHorizon</c>-step horizon); <paramref name="start"/> when it does not converge.
    /// </summary>
    private static double DensityScale(MeanFieldNeuron neuron, InputStatistics x, double start, double target)
    {
        double Rate(double logScale) => Density(neuron, Math.Exp(logScale), x, 1, DensitySearchHorizon).Stationary.FiringProbability - target;
        double a = Math.Log(start), fa = Rate(a), b = a + 0.1, fb = Rate(b);
        for (int i = 0; i < 12 && Math.Abs(fb) > 1e-3 && fb != fa; i++)
        {
            double c = Math.Clamp(b - fb * (b - a) / (fb - fa), b - 1, b + 1);
            a = b; fa = fb; b = c; fb = Rate(b);
        }
        return Math.Abs(fb) <= 1e-3 ? Math.Exp(b) : start;
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
