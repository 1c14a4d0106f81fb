namespace SpikeInit.Neurons;

/// <summary>
/// Where and how the reset enters the LIF update (<see cref="Lif.Step"/>); s = spike of the previous step.
/// </summary>
public enum LifReset
{
    /// <summary>
    /// <c>u_t = β u_{t−1} + I_t − θ s_{t−1}</c>: soft reset applied at the next step, not decayed. Micheli et al. Eq. 13
    /// (literal order), snnTorch <c>Leaky(reset_mechanism="subtract")</c>, Herranz-Celotti's minus-reset. Default.
    /// </summary>
    SubtractNextStep,
    /// <summary>
    /// <c>u_t = β (u_{t−1} − θ s_{t−1}) + I_t</c>: soft reset applied right after the spike, then decayed
    /// (SpikingJelly's order; the bench neuron of docs/BENCHMARKS.md).
    /// </summary>
    SubtractBeforeDecay,
    /// <summary>
    /// <c>u_t = β u_{t−1} (1 − s_{t−1}) + I_t</c>: hard reset to zero before the new input. Herranz-Celotti's pre-reset;
    /// Ding et al.'s k/λ family (with β = k and gain λ).
    /// </summary>
    ZeroBeforeDecay,
    /// <summary>
    /// <c>u_t = (β u_{t−1} + I_t)(1 − s_{t−1})</c>: the membrane is clamped to zero for one step after a spike
    /// (Herranz-Celotti's post-reset, a one-step refractory period).
    /// </summary>
    ZeroAfterInput,
    /// <summary><c>u_t = β u_{t−1} + I_t</c>: no reset (leaky integrator, e.g. a readout).</summary>
    None,
}
