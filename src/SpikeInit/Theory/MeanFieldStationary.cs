namespace SpikeInit.Theory;

/// <summary>
/// The stationary regime of <see cref="MeanField.Layer"/>: population statistics averaged over the window
/// [<see cref="From"/>, <see cref="To"/>) of a long horizon (docs/THEORY.md §L5.3).
/// </summary>
/// <param name="MembraneMean">Time- and population-averaged E[u].</param>
/// <param name="MembraneVariance">E[u²] − E[u]² over the window and the population (a random neuron at a random late step).</param>
/// <param name="FiringProbability">The stationary spikes per step: the population average of each neuron's long-run spike fraction.</param>
/// <param name="RateSecondMoment">E_I[r(I)²]: the second moment over neurons of each neuron's long-run spike fraction r
/// (the static part of the next layer's current, docs/THEORY.md §L6).</param>
/// <param name="SilentFraction">Fraction of neurons that never fire in the window.</param>
/// <param name="SaturatedFraction">Fraction of neurons that fire at every step of the window.</param>
/// <param name="From">First step of the window.</param>
/// <param name="To">End of the window (exclusive), the horizon.</param>
/// <param name="Converged">Whether the window's two halves agree (spikes per step within 8/horizon, membrane variance
/// within 5 %); false when the membrane never settles (e.g. no reset and no leak).</param>
public sealed record MeanFieldStationary(double MembraneMean, double MembraneVariance, double FiringProbability, double RateSecondMoment,
                                         double SilentFraction, double SaturatedFraction, int From, int To, bool Converged);
