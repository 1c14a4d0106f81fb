using SpikeInit.Neurons;
using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>
/// The mean field over time (<see cref="MeanField"/>, docs/THEORY.md §L5) for a library neuron: its
/// <see cref="Neuron.Dynamics"/> (gain, leak, reset), threshold and spike condition as the theory's plain numbers.
/// </summary>
public static class TimeCourse
{
    /// <summary>The theory's description of a discrete LIF-family neuron (LIF, k/λ); current-based neurons are refused.</summary>
    public static MeanFieldNeuron Of(Neuron neuron)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        NeuronDynamics d = neuron.Dynamics;
        if (d.SynapticCurrent)
            throw new ArgumentException($"the mean field over time is defined for discrete LIF-family neurons, not {neuron.Description}", nameof(neuron));
        MembraneReset reset = d.Reset switch
        {
            LifReset.SubtractNextStep => MembraneReset.SubtractNextStep,
            LifReset.SubtractBeforeDecay => MembraneReset.SubtractBeforeDecay,
            LifReset.ZeroBeforeDecay => MembraneReset.ZeroBeforeDecay,
            LifReset.ZeroAfterInput => MembraneReset.ZeroAfterInput,
            _ => MembraneReset.None,
        };
        return new MeanFieldNeuron(d.InputGain, d.Leak, neuron.Threshold, reset, neuron.Spike.Condition);
    }

    /// <summary>
    /// Predicts the layer's time course for a per-neuron current <c>I ~ N(μ_I, σ_I²)</c> held constant over time
    /// (<see cref="MeanField.Layer"/>).
    /// </summary>
    public static MeanFieldCourse Predict(Neuron neuron, double currentMean, double currentStd, int steps,
                                          int horizon = MeanField.DefaultHorizon, int nodes = MeanField.DefaultNodes) =>
        Adapted(neuron, n => MeanField.Layer(n, currentMean, currentStd, steps, horizon, nodes));

    /// <summary>Accepted |rate − p| of <see cref="Adapted"/>, spikes per step (the mean field's own error is ~10⁻²).</summary>
    private const double AdaptationTolerance = 1e-3;

    /// <summary>
    /// The course <paramref name="course"/> computes for the neuron's mean-field description; for a neuron with an adaptive
    /// threshold (ALIF) at the stationary mean threshold <c>ϑ̄ = ϑ + β_a·p</c>, p the course's own stationary rate
    /// (docs/THEORY.md §S10.6): g(p) = rate(ϑ + β_a p) − p falls from g(0) = p(ϑ) ≥ 0 to g(p(ϑ)) ≤ 0, and the Illinois
    /// variant of regula falsi finds its root to <c>AdaptationTolerance</c>. The per-step values are then the
    /// constant-threshold course at ϑ̄, not the transient from rest (where a = 0).
    /// </summary>
    public static MeanFieldCourse Adapted(Neuron neuron, Func<MeanFieldNeuron, MeanFieldCourse> course)
    {
        ArgumentNullException.ThrowIfNull(course);
        MeanFieldNeuron plain = Of(neuron);
        MeanFieldCourse atBase = course(plain);
        if (neuron.Dynamics.Adaptation is not { Increment: > 0 } adaptation || atBase.Stationary.FiringProbability <= AdaptationTolerance)
            return atBase;
        MeanFieldCourse At(double p) => course(plain with { Theta = plain.Theta + adaptation.Increment * p });
        double lo = 0, glo = atBase.Stationary.FiringProbability, hi = glo;
        MeanFieldCourse best = At(hi);
        double ghi = best.Stationary.FiringProbability - hi;
        int side = 0;
        for (int i = 0; i < 20 && ghi < -AdaptationTolerance && hi - lo > AdaptationTolerance; i++)
        {
            double p = (lo * ghi - hi * glo) / (ghi - glo);
            best = At(p);
            double g = best.Stationary.FiringProbability - p;
            if (Math.Abs(g) <= AdaptationTolerance) return best;
            if (g > 0)
            {
                lo = p; glo = g;
                if (side == 1) ghi /= 2;
                side = 1;
            }
            else
            {
                hi = p; ghi = g;
                if (side == -1) glo /= 2;
                side = -1;
            }
        }
        return best;
    }
}
