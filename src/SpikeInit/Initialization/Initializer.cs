using SpikeInit.Neurons;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>
/// An initialization method: from an <see cref="InitContext"/> it plans the weight distributions and bias of one
/// population and predicts the statistics they produce (<see cref="Theory"/>), then draws them (<see cref="Apply"/>).
/// Initializers are immutable values without tensors; randomness comes only from the generator passed to Apply.
/// </summary>
public abstract record Initializer
{
    /// <summary>The command-line name (e.g. <c>micheli</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Plans the initialization of the population described by <paramref name="context"/>.</summary>
    public abstract LayerPlan Plan(InitContext context);

    /// <summary>What the method predicts for the population, before anything is simulated.</summary>
    public Prediction Theory(InitContext context) => Plan(context).Theory;

    /// <summary>Plans and draws the weights (and bias, recurrent weights) in place; returns the prediction.</summary>
    public Prediction Apply(InitContext context, Tensor weight, Tensor? bias = null, Tensor? recurrentWeight = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(weight);
        long rowLength = weight.shape.Length < 2 ? -1 : weight.numel() / weight.shape[0];
        if (rowLength != context.FanIn)
            throw new ArgumentException($"weight of shape [{string.Join(", ", weight.shape)}] does not have fan_in = {context.FanIn} inputs per neuron", nameof(weight));
        if (recurrentWeight is not null && (recurrentWeight.dim() != 2 || recurrentWeight.shape[0] != context.Units || recurrentWeight.shape[1] != context.Units))
            throw new ArgumentException($"recurrent weight of shape [{string.Join(", ", recurrentWeight.shape)}] is not [{context.Units}, {context.Units}]", nameof(recurrentWeight));
        LayerPlan plan = Plan(context);
        plan.Apply(weight, bias, recurrentWeight, generator);
        return plan.Theory;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// An initializer whose distribution for a connection depends only on that connection's fan-in and fan-out (all the
/// baselines, Micheli, the slant asymptote); a recurrent connection is initialized by the same rule with its own fan-in.
/// </summary>
public abstract record ConnectionInitializer : Initializer
{
    /// <summary>The distribution for a connection with the given fan-in/fan-out onto the context's neurons.</summary>
    protected abstract WeightDistribution Weights(InitContext context, int fanIn, int fanOut);

    /// <summary>The bias (0 unless the method sets one).</summary>
    protected virtual double Bias(InitContext context) => 0;

    /// <summary>Notes on assumptions (none by default).</summary>
    protected virtual IReadOnlyList<string> Notes(InitContext context) => [];

    /// <inheritdoc />
    public override LayerPlan Plan(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        WeightDistribution w = Weights(context, context.FanIn, context.FanOut);
        WeightDistribution? rec = context.HasRecurrence ? Weights(context, context.RecurrentFanIn, context.Units) : null;
        double b = Bias(context);
        return new LayerPlan(w, rec, b, null, LayerTheory.Predict(Name, context, w, rec, b, LayerTheory.DefaultRegime(context.Neuron), notes: Notes(context)));
    }
}

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
        neuron is CubaLifNeuron ? PredictionRegime.FreeMembrane : PredictionRegime.FirstStep;

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
        return regime == PredictionRegime.FreeMembrane
            ? FreeMembrane(prediction, context, weight, recurrent, bias, epsilon)
            : FirstStep(prediction, context, currentMean, currentVariance);
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
        double gain = neuron switch
        {
            LifNeuron l => l.Parameters.Gain,
            KLambdaNeuron k => k.Parameters.Lambda,
            null => throw new ArgumentNullException(nameof(neuron)),
            _ => throw new ArgumentException($"first-step theory is defined for discrete LIF-family neurons, not {neuron.Description}", nameof(neuron)),
        };
        double mean = gain * currentMean, std = gain * Math.Sqrt(currentVariance);
        double fire = FiringProbability(neuron.Threshold, mean, std);
        double? rate = neuron is KLambdaNeuron kl
            ? DingTheory.MeanStationaryRate(currentMean, Math.Sqrt(currentVariance), kl.Parameters.K, kl.Parameters.Lambda, kl.Parameters.Theta)
            : null;
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
        KernelIntegrals eps = FluctuationTheory.Epsilon(context.Neuron, epsilon);
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
        double perStep = context.Neuron is CubaLifNeuron c ? Math.Min(nu * c.Parameters.Dt, 1) : Math.Min(nu, 1);
        return p with
        {
            MembraneMean = mean,
            MembraneStd = std,
            MembraneMeanSpread = Math.Sqrt(spread),
            FiringProbability = fire,
            Output = InputStatistics.Spikes(perStep, nu, mean, Math.Max(variance, double.Epsilon)),
        };
    }

    private static double Sq(double x) => x * x;

    /// <summary>ν in the neuron's time unit: the given rate, or for spikes the per-step probability (÷ dt for CUBA).</summary>
    internal static double? PresynapticRate(InitContext context)
    {
        InputStatistics x = context.Input;
        if (x.Rate is { } r) return r;
        if (!x.Binary || x.Mean <= 0) return null;
        return context.Neuron is CubaLifNeuron c ? x.Mean / c.Parameters.Dt : x.Mean;
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
