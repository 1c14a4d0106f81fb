using SpikeInit.Neurons;

namespace SpikeInit.Initialization;

/// <summary>An excitatory/inhibitory (Dalian) population: fan-ins of its three kinds of afferents, its neurons, the rate.</summary>
/// <param name="FeedForwardFanIn">Excitatory feed-forward inputs per neuron (≥ 1).</param>
/// <param name="RecurrentFanIn">Excitatory recurrent inputs per neuron (0: none).</param>
/// <param name="InhibitoryFanIn">Inhibitory inputs per neuron (≥ 1).</param>
/// <param name="Neuron">The E/I current-based neuron parameters.</param>
/// <param name="Rate">Presynaptic rate ν (Hz).</param>
public sealed record DaleContext(int FeedForwardFanIn, int RecurrentFanIn, int InhibitoryFanIn, CubaExcInhParameters Neuron, double Rate);

/// <summary>Exponential weight distributions of a Dalian population and the free membrane they produce.</summary>
/// <param name="FeedForward">Excitatory feed-forward weights.</param>
/// <param name="Recurrent">Excitatory recurrent weights, or null.</param>
/// <param name="Inhibitory">Inhibitory weights (non-negative, entering with a minus sign).</param>
/// <param name="MembraneMean">Predicted μ_U (0).</param>
/// <param name="MembraneStd">Predicted σ_U.</param>
/// <param name="FiringProbability">P(U &gt; θ) of the Gaussian free membrane.</param>
public sealed record DalePlan(ExponentialWeights FeedForward, ExponentialWeights? Recurrent, ExponentialWeights Inhibitory,
                              double MembraneMean, double MembraneStd, double FiringProbability);
