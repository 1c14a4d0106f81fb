namespace SpikeInit.Theory;

/// <summary>
/// The time course of one layer predicted by <see cref="MeanField.Layer"/>: per step t = 0 … steps − 1 the population's
/// membrane mean and variance (over neurons, at that step) and the firing probability P(s_t = 1), and the stationary
/// values. The output spikes are binary, so their per-step second moment equals <see cref="FiringProbability"/>; their
/// correlation across steps is <see cref="MeanField.SpikeCorrelation"/>.
/// </summary>
/// <param name="CurrentMean">μ_I of the per-neuron current.</param>
/// <param name="CurrentStd">σ_I of the per-neuron current.</param>
/// <param name="MembraneMean">E[u_t] per step.</param>
/// <param name="MembraneVariance">Var[u_t] across neurons per step.</param>
/// <param name="FiringProbability">P(s_t = 1) per step (the output spikes' mean and second moment).</param>
/// <param name="Stationary">The long-run values.</param>
public sealed record MeanFieldCourse(double CurrentMean, double CurrentStd, IReadOnlyList<double> MembraneMean,
                                     IReadOnlyList<double> MembraneVariance, IReadOnlyList<double> FiringProbability,
                                     MeanFieldStationary Stationary)
{
    /// <summary>Number of predicted steps.</summary>
    public int Steps => MembraneMean.Count;
}
