using SpikeInit.Neurons;
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
