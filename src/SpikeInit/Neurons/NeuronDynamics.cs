namespace SpikeInit.Neurons;

/// <summary>
/// What the theory needs to know about a neuron model's discrete dynamics, so that no code outside Neurons/ asks which
/// model it has (docs/ARCHITECTURE.md, "neurons describe themselves").
/// </summary>
/// <param name="InputGain">g: how strongly one step's current enters the membrane (LIF gain, Ding's λ; 1 for current-based
/// neurons, whose current enters the synaptic current).</param>
/// <param name="Leak">Membrane decay per step: β (LIF), k (k/λ), λ_m = exp(−dt/τ_mem) (current-based).</param>
/// <param name="TimeStep">Seconds per step when the model has physical time constants (current-based LIF); null when
/// time is counted in steps. Rates are then in Hz, else in spikes per step.</param>
/// <param name="Reset">Where and how the reset acts, in the vocabulary of <see cref="LifReset"/>.</param>
/// <param name="SynapticCurrent">True when input reaches the membrane through a synaptic current (no instantaneous
/// response: the first-step theory u₀ = g·I₀ does not apply and the free-membrane theory does).</param>
/// <param name="Adaptation">The adaptive threshold of ALIF neurons (null: the threshold is constant). It is zero at the
/// first step, so first-step predictions hold as they are; stationary ones must use its mean threshold.</param>
public sealed record NeuronDynamics(double InputGain, double Leak, double? TimeStep, LifReset Reset, bool SynapticCurrent,
                                    ThresholdAdaptation? Adaptation = null)
{
    /// <summary>ν in the model's time unit from a probability p per step (÷ dt when time is physical).</summary>
    public double RateOf(double perStep) => TimeStep is { } dt ? perStep / dt : perStep;

    /// <summary>The probability per step of a rate ν in the model's unit (ν·dt when time is physical), capped at 1.</summary>
    public double ProbabilityOf(double rate) => Math.Min(TimeStep is { } dt ? rate * dt : rate, 1);
}
