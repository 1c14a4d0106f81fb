using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>What a run records per layer, in addition to the output.</summary>
[Flags]
public enum Recording
{
    /// <summary>Nothing beyond the output.</summary>
    None = 0,
    /// <summary>Spikes of every spiking layer.</summary>
    Spikes = 1,
    /// <summary>Membranes of every spiking layer (extra memory: one tensor per layer and step).</summary>
    Membranes = 2,
    /// <summary>Spikes and membranes.</summary>
    All = Spikes | Membranes,
}

/// <summary>Per-layer record of a run; tensors are <c>[T, B, ...]</c>.</summary>
/// <param name="Index">Position of the block in the network (0 = first).</param>
/// <param name="Name">Block name (also its state-dict prefix).</param>
/// <param name="Neuron">The layer's neuron model.</param>
/// <param name="Spikes">Spikes, when recorded.</param>
/// <param name="Membrane">Membranes, when recorded.</param>
public sealed record LayerRecord(int Index, string Name, Neuron Neuron, Tensor? Spikes, Tensor? Membrane);

/// <summary>Result of <see cref="SpikingNetwork.Run"/>.</summary>
/// <param name="Output">The readout (e.g. spike counts <c>[B, classes]</c>).</param>
/// <param name="Sequence">The last block's output sequence <c>[T, B, ...]</c>.</param>
/// <param name="Layers">Records of the spiking layers (empty unless requested).</param>
public sealed record NetworkRun(Tensor Output, Tensor Sequence, IReadOnlyList<LayerRecord> Layers);
