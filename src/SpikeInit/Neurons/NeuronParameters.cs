using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>What every neuron model's parameter record has: a threshold and spike options (<see cref="Neuron{TParameters}"/>).</summary>
/// <typeparam name="TSelf">The parameter record itself.</typeparam>
public interface INeuronParameters<TSelf> where TSelf : INeuronParameters<TSelf>
{
    /// <summary>Threshold θ &gt; 0.</summary>
    double Theta { get; }

    /// <summary>Spike condition and gradient options.</summary>
    SpikeOptions Spike { get; }

    /// <summary>The same parameters with other spike options.</summary>
    TSelf WithSpike(SpikeOptions spike);
}
