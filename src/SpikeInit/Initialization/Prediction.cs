using System.Globalization;
using System.Text.Json.Nodes;
using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>Which statistics a prediction describes.</summary>
public enum PredictionRegime
{
    /// <summary>The first time step of a discrete neuron from rest: u₀ = g·I₀ (Micheli's and Ding's single-step analysis).</summary>
    FirstStep,
    /// <summary>The stationary free (no-reset) membrane under Poisson input, by Campbell's theorem (Rossbroich et al.).</summary>
    FreeMembrane,
    /// <summary>The stationary state that stability condition I targets (E[v] = ϑ, P(x = 1) = 1/2).</summary>
    StabilityCondition,
    /// <summary>The stationary regime of the mean field over time (docs/THEORY.md §L5.3, §L6): a random neuron at a random late step.</summary>
    Stationary,
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
    /// <summary>
    /// The mean field over time (docs/THEORY.md §L5–L6): membrane mean, variance and firing probability per step
    /// t = 0 … T − 1 and the stationary values; null where not computed (no <see cref="InitContext.Steps"/>, current-based
    /// neurons, or a recurrent layer of a method without a self-consistent rate).
    /// </summary>
    public MeanFieldCourse? TimeCourse { get; init; }
    /// <summary>Conditions that could not be met, choices the method made, and assumptions worth knowing.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The statistics of this population's output, i.e. the next layer's input.</summary>
    public required InputStatistics Output { get; init; }

    /// <summary>One line on which state the numbers describe (and the surrogate a method recommends).</summary>
    public string Describe()
    {
        string regime = Regime switch
        {
            PredictionRegime.FreeMembrane => "free membrane (Campbell); u std is one neuron's temporal fluctuation",
            PredictionRegime.StabilityCondition => "stationary state of condition I",
            PredictionRegime.Stationary => "stationary regime of the mean field over time",
            _ => RatePerStep is null ? "first step from rest" : "first step from rest; P(fire) column: stationary rate per step",
        };
        string surrogate = SurrogateDampening is not null
            ? $"; surrogate gamma {F(SurrogateDampening)}, beta {F(SurrogateSharpness)}" + (SurrogateTailFatness is { } q ? $", q {F(q)}" : "")
            : "";
        return regime + surrogate + (Notes.Count > 0 ? "; " + string.Join("; ", Notes) : "");
    }

    /// <summary>
    /// The prediction as JSON: <c>method, weight_mean, weight_std, bias</c>, recurrent weights if any, <c>theory{regime,
    /// input_mean, input_variance, membrane_mean, membrane_std, firing_probability, ...}</c> and <c>notes</c>; with a
    /// <see cref="TimeCourse"/> also <c>theory.stationary{rate, membrane_mean, membrane_std, ...}</c> and
    /// <c>theory.over_time{membrane_mean[], membrane_std[], firing_probability[]}</c> (one entry per step).
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["method"] = Method, ["weight_mean"] = WeightMean, ["weight_std"] = WeightStd, ["bias"] = Bias };
        if (RecurrentWeightStd is not null)
        {
            json["recurrent_weight_mean"] = RecurrentWeightMean;
            json["recurrent_weight_std"] = RecurrentWeightStd;
        }
        var theory = new JsonObject
        {
            ["regime"] = EnumNames.Of(Regime).Replace('-', '_'),
            ["input_mean"] = InputCurrentMean,
            ["input_variance"] = InputCurrentVariance,
            ["membrane_mean"] = MembraneMean,
            ["membrane_std"] = MembraneStd,
            ["firing_probability"] = FiringProbability,
        };
        if (RatePerStep is { } rate) theory["rate_per_step"] = rate;
        if (MembraneMeanSpread is { } spread) theory["membrane_mean_spread"] = spread;
        if (SurrogateDampening is { } g) theory["surrogate_dampening"] = g;
        if (SurrogateSharpness is { } s) theory["surrogate_sharpness"] = s;
        if (SurrogateTailFatness is { } q) theory["surrogate_tail_fatness"] = q;
        if (TimeCourse is { } course)
        {
            MeanFieldStationary st = course.Stationary;
            theory["stationary"] = new JsonObject
            {
                ["rate"] = st.FiringProbability,
                ["membrane_mean"] = st.MembraneMean,
                ["membrane_std"] = Math.Sqrt(st.MembraneVariance),
                ["rate_second_moment"] = st.RateSecondMoment,
                ["silent_fraction"] = st.SilentFraction,
                ["saturated_fraction"] = st.SaturatedFraction,
                ["converged"] = st.Converged,
            };
            theory["over_time"] = new JsonObject
            {
                ["membrane_mean"] = Array(course.MembraneMean),
                ["membrane_std"] = Array([.. course.MembraneVariance.Select(Math.Sqrt)]),
                ["firing_probability"] = Array(course.FiringProbability),
            };
        }
        json["theory"] = theory;
        json["notes"] = new JsonArray([.. Notes.Select(n => (JsonNode?)JsonValue.Create(n))]);
        return json;
    }

    private static JsonArray Array(IReadOnlyList<double> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static string F(double? x) => x is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
