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
        MeanField.Layer(Of(neuron), currentMean, currentStd, steps, horizon, nodes);
}
