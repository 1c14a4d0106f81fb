namespace SpikeInit.Theory;

/// <summary>
/// The discrete LIF resets as the mean-field theory sees them (docs/THEORY.md §L1, §L5); the same five variants as the
/// neuron kernel's reset, named alike, so Theory stays free of Neurons (Initialization maps one to the other).
/// </summary>
public enum MembraneReset
{
    /// <summary><c>u_t = β u_{t−1} + x_t − θ s_{t−1}</c> (Micheli Eq. 13, Herranz-Celotti's minus-reset).</summary>
    SubtractNextStep,
    /// <summary><c>u_t = β (u_{t−1} − θ s_{t−1}) + x_t</c> (SpikingJelly's order).</summary>
    SubtractBeforeDecay,
    /// <summary><c>u_t = β u_{t−1} (1 − s_{t−1}) + x_t</c> (pre-reset; Ding's k/λ).</summary>
    ZeroBeforeDecay,
    /// <summary><c>u_t = (β u_{t−1} + x_t)(1 − s_{t−1})</c> (post-reset, one-step refractory).</summary>
    ZeroAfterInput,
    /// <summary><c>u_t = β u_{t−1} + x_t</c> (no reset).</summary>
    None,
}
