using SpikeInit.Neurons;
using SpikeInit.Surrogates;
using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>The stability conditions of Herranz-Celotti &amp; Rouat to apply.</summary>
[Flags]
public enum StabilityConditions
{
    /// <summary>None: plain Glorot-uniform weights.</summary>
    None = 0,
    /// <summary>I: recurrent mean weight puts E[v] at ϑ (f̄ = 1/2).</summary>
    I = 1,
    /// <summary>II: recurrent variance equals input variance.</summary>
    II = 2,
    /// <summary>III: surrogate dampening γ from equal gradient maxima.</summary>
    III = 4,
    /// <summary>IV: surrogate sharpness β (or tail-fatness q) from equal gradient variances.</summary>
    IV = 8,
    /// <summary>All four.</summary>
    All = I | II | III | IV,
}

/// <summary>Which surrogate parameter condition IV solves for.</summary>
public enum SurrogateTarget
{
    /// <summary>Sharpness β (at the shape of the neuron's surrogate).</summary>
    Sharpness,
    /// <summary>Tail-fatness q of q-PseudoSpike at the neuron's sharpness.</summary>
    TailFatness,
}

/// <summary>
/// Stability-based initialization and surrogate choice of Herranz-Celotti &amp; Rouat (docs/THEORY.md §S3–S4) for a
/// recurrent LIF layer (minus-, pre- or post-reset): input weights Glorot-uniform (the paper's default); condition I sets
/// the recurrent mean, II its variance (<c>W_rec ~ U(μ_W ± √(3σ_W²))</c>), III the surrogate dampening γ, IV the
/// sharpness β (or q) by bracketed root finding with the ensemble voltage range of expected weight sums. Infeasible
/// conditions are reported in the prediction's notes (IV) or raised (II, which would need a negative variance).
/// Name <c>stability</c>.
/// </summary>
public sealed record StabilityBased(StabilityConditions Conditions = StabilityConditions.All,
                                    FormulaVariant Variant = FormulaVariant.Derived,
                                    SurrogateTarget Solve = SurrogateTarget.Sharpness,
                                    double SolveDampening = 1.0,
                                    bool? ResetGradient = null) : Initializer
{
    /// <summary>γ at which condition IV is solved (the paper: 1).</summary>
    public double SolveDampening { get; init => field = Validate.Positive(value, "solve_dampening"); } = SolveDampening;

    /// <inheritdoc />
    public override string Name => "stability";

    /// <inheritdoc />
    public override LayerPlan Plan(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Neuron neuron = context.Neuron;
        NeuronDynamics d = neuron.Dynamics;
        if (d.SynapticCurrent || d.InputGain != 1.0)
            throw new ArgumentException($"the stability conditions are derived for LIF neurons with unit input gain, not {context.Neuron.Description}");
        var input = UniformWeights.WithMoments(0, 2.0 / (context.FanIn + (double)context.Units));
        var notes = new List<string>();
        if (!context.HasRecurrence)
        {
            notes.Add("conditions I-IV constrain recurrent weights; this layer has none, so it gets the paper's default Glorot-uniform");
            return new LayerPlan(input, null, 0, null,
                                 LayerTheory.Predict(Name, context, input, null, 0, PredictionRegime.FirstStep, notes: notes));
        }

        StabilityReset reset = ResetOf(d.Reset);
        int n = context.RecurrentFanIn, fanIn = context.FanIn;
        double alpha = d.Leak, theta = neuron.Threshold;
        InputStatistics x = context.Input;
        double muW = Has(StabilityConditions.I) ? StabilityTheory.RecurrentMean(reset, alpha, theta, n, 0, Variant, d.Adaptation?.Increment ?? 0, d.Adaptation?.Decay ?? 0) : 0;
        double ba = d.Adaptation?.Increment ?? 0, rho = d.Adaptation?.Decay ?? 0;
        if (d.Adaptation is not null && Has(StabilityConditions.I))
            notes.Add("adaptive threshold: condition I puts E[v] at the stationary mean threshold theta + beta_a/2 (docs/THEORY.md §S10.2)");
        if (d.Adaptation is not null && (Has(StabilityConditions.III) || Has(StabilityConditions.IV)))
            notes.Add("adaptive threshold: conditions III/IV include the gradient path through the threshold trace (docs/THEORY.md §S10.5)");
        double varW = Has(StabilityConditions.II)
            ? StabilityTheory.RecurrentVariance(fanIn, input.Std * input.Std, x.Mean, x.Variance, n, muW, Variant)
            : 1.0 / context.Units;
        if (!(varW > 0))
            throw new InfeasibleInitializationException(
                $"stability condition II has no solution: sigma_W^2 = {varW:G6} <= 0 (the input drive N*Var(W_in)*E[x^2] is too weak for the condition-I mean mu_W = {Validate.Format(muW)}); disable condition I or II");
        var recurrent = UniformWeights.WithMoments(muW, varW);
        double halfWidth = Math.Sqrt(3 * varW);

        bool resetGradient = ResetGradient ?? !neuron.Spike.DetachReset;
        double resetTheta = reset == StabilityReset.Minus && resetGradient ? theta : 0;
        NormalizedSurrogate current = neuron.Surrogate as NormalizedSurrogate ?? new NormalizedSurrogate(SurrogateShape.Exponential);
        if (neuron.Surrogate is not NormalizedSurrogate)
            notes.Add($"the neuron's surrogate {neuron.Surrogate.Name} is not a normalized shape; conditions III/IV use the exponential shape");
        double? gamma = null, sharpness = null, q = null;
        if (Has(StabilityConditions.III))
        {
            gamma = StabilityTheory.Dampening(alpha, recurrent.High, recurrent.Low, n, resetTheta, ba);
            if (!(gamma > 0) || !double.IsFinite(gamma.Value))
            {
                notes.Add($"condition III has no positive solution (gamma = {gamma:G6}); dampening left at {Validate.Format(current.Dampening)}");
                gamma = null;
            }
        }
        if (Has(StabilityConditions.IV))
            (sharpness, q) = SolveIV(reset, alpha, theta, n, recurrent, muW, halfWidth, fanIn, input.High, resetGradient, current, notes, ba, rho);

        NormalizedSurrogate chosen = current with
        {
            Shape = Solve == SurrogateTarget.TailFatness ? SurrogateShape.QPseudoSpike : current.Shape,
            Dampening = gamma ?? current.Dampening,
            Sharpness = sharpness ?? current.Sharpness,
            Q = q ?? current.Q,
        };
        Prediction theory = LayerTheory.Predict(Name, context, input, recurrent, 0, PredictionRegime.FirstStep, notes: notes);
        if (Has(StabilityConditions.I))
        {
            // condition I aims at x ~ Bernoulli(1/2), E[v] = ϑ; what the layer settles to from rest is the recurrent
            // mean field's fixed point with these weights (docs/THEORY.md §S3.3 addendum)
            MeanFieldCourse course = StationaryCourse(neuron, context, input, muW, varW, 1);
            MeanFieldStationary s = course.Stationary;
            // digits below 1e-8 are quadrature noise (the grid's own error is ~1e-3)
            double f = Math.Round(s.FiringProbability, 8);
            string note = $"condition I targets f = 1/2 (E[v] = theta); the recurrent mean field predicts the stationary f = {f:G4} from rest"
                          + (s.Converged ? "" : " (not converged within the horizon)")
                          + "; the next layer is initialized for the paper's x ~ Bernoulli(1/2)";
            theory = theory with
            {
                Regime = PredictionRegime.StabilityCondition,
                InputCurrentMean = course.CurrentMean,
                InputCurrentVariance = course.CurrentStd * course.CurrentStd,
                MembraneMean = s.MembraneMean,
                MembraneStd = Math.Sqrt(s.MembraneVariance),
                FiringProbability = f,
                // the paper chains layers at the condition's target (docs/THEORY.md §S3.4: upper layers μ_x = ½, σ_x² = ¼)
                Output = InputStatistics.Spikes(0.5, 0.5, theta),
                Notes = [.. theory.Notes, note],
            };
        }
        return new LayerPlan(input, recurrent, 0, chosen, theory with
        {
            SurrogateDampening = chosen.Dampening,
            SurrogateSharpness = chosen.Sharpness,
            SurrogateTailFatness = chosen.Shape == SurrogateShape.QPseudoSpike ? chosen.Q : null,
        });
    }

    /// <summary>
    /// The recurrent layer's time course from rest under the recurrent mean field (docs/THEORY.md §S3.3 addendum) with
    /// Glorot-uniform input weights <paramref name="input"/> and recurrent weights of mean <paramref name="recurrentMean"/>
    /// and variance <paramref name="recurrentVariance"/>; ALIF at its stationary mean threshold (<see cref="TimeCourse.Adapted"/>).
    /// </summary>
    public static MeanFieldCourse StationaryCourse(Neuron neuron, InitContext context, WeightDistribution input,
                                                   double recurrentMean, double recurrentVariance, int steps)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        InputStatistics x = context.Input;
        var drive = RecurrentDrive.FromWeights(context.FanIn, input.Mean, input.Std * input.Std, x.Mean, x.Variance, 0,
                                               context.RecurrentFanIn, recurrentMean, recurrentVariance);
        return TimeCourse.Adapted(neuron, n => RecurrentMeanField.Layer(n, drive, steps));
    }

    private bool Has(StabilityConditions c) => (Conditions & c) == c;

    private (double? Sharpness, double? Q) SolveIV(StabilityReset reset, double alpha, double theta, int n, UniformWeights recurrent,
                                                  double muW, double halfWidth, int fanIn, double inputHalfWidth, bool resetGradient,
                                                  NormalizedSurrogate current, List<string> notes, double adaptation, double adaptationDecay)
    {
        double target = StabilityTheory.SurrogateTarget(reset, alpha, theta, n, recurrent.SecondMoment, resetGradient, adaptation, adaptationDecay);
        VoltageRange v = StabilityTheory.ExpectedVoltageRange(reset, alpha, theta, n, muW, halfWidth, fanIn, 0, inputHalfWidth);
        Root root = Solve == SurrogateTarget.TailFatness
            ? StabilityTheory.SolveTailFatness(target, SolveDampening, current.Sharpness, v, theta)
            : StabilityTheory.SolveSharpness(target, current.Shape, SolveDampening, v, theta, current.Q);
        string what = Solve == SurrogateTarget.TailFatness ? "tail-fatness q" : "sharpness beta";
        if (!root.Found)
        {
            string why = root.Status == RootStatus.TargetTooLarge
                ? $"the target E[sg'^2] = {target:G6} exceeds what any {what} reaches (at most gamma^2 = {Validate.Format(SolveDampening * SolveDampening)})"
                : $"the target E[sg'^2] = {target:G6} is below what any {what} reaches";
            notes.Add($"condition IV has no solution: {why}; {what} left unchanged");
            return (null, null);
        }
        notes.Add($"condition IV: E[sg'^2] = {target:G6} over v in [{v.Min:G4}, {v.Max:G4}] gives {what} = {root.Value:G6}");
        return Solve == SurrogateTarget.TailFatness ? (null, root.Value) : (root.Value, null);
    }

    /// <summary>The reset variant of a LIF reset, or an error naming the supported ones.</summary>
    public static StabilityReset ResetOf(LifReset reset) => reset switch
    {
        LifReset.SubtractNextStep => StabilityReset.Minus,
        LifReset.ZeroBeforeDecay => StabilityReset.Pre,
        LifReset.ZeroAfterInput => StabilityReset.Post,
        _ => throw new ArgumentException($"the stability conditions are derived for the minus-, pre- and post-reset (SubtractNextStep, ZeroBeforeDecay, ZeroAfterInput), not for reset = {reset}", nameof(reset)),
    };
}
