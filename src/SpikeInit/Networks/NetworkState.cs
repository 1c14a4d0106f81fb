using SpikeInit.Layers;
using SpikeInit.Neurons;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>The state of every block after a <see cref="SpikingNetwork.Step"/> (null for stateless blocks).</summary>
public sealed record NetworkState(IReadOnlyList<NeuronState?> Blocks);
