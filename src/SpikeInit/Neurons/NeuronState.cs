using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// The state a neuron model carries from one step to the next. Immutable: a step returns a new state.
/// <see cref="Membrane"/> is the membrane a monitor records for this step; <see cref="Spikes"/> the spikes emitted.
/// </summary>
public abstract record NeuronState
{
    /// <summary>The membrane potential recorded for the step that produced this state.</summary>
    public abstract Tensor Membrane { get; }

    /// <summary>The spikes emitted by the step that produced this state (zeros initially).</summary>
    public abstract Tensor Spikes { get; }
}
