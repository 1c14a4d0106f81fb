using SpikeInit.Neurons;

namespace SpikeInit.Networks;

/// <summary>The state of every block after a <see cref="SpikingNetwork.Step"/> (null for stateless blocks).</summary>
public sealed record NetworkState(IReadOnlyList<NeuronState?> Blocks);
