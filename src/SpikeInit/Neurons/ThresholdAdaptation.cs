namespace SpikeInit.Neurons;

/// <summary>
/// An adaptive threshold as the theory sees it (<see cref="NeuronDynamics.Adaptation"/>): ϑ_t = ϑ + β_a·a_t with the
/// spike trace a_t = ρ·a_{t−1} + (1 − ρ)·x_{t−1} (Bellec et al.'s ALIF, as Herranz-Celotti &amp; Rouat use it); its
/// stationary moments are <c>Theory.AdaptiveThreshold</c>.
/// </summary>
/// <param name="Increment">β_a ≥ 0: how far one unit of trace raises the threshold.</param>
/// <param name="Decay">ρ = exp(−1/τ_a) ∈ [0, 1): the trace's decay per step.</param>
public sealed record ThresholdAdaptation(double Increment, double Decay);
