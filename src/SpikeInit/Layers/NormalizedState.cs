using SpikeInit.Neurons;

namespace SpikeInit.Layers;

/// <summary>
/// The state of a block with a <see cref="SpikingNorm"/> between steps: the neurons' state and the index of the next time
/// step (per-step statistics and scales of BNTT and TEBN need it).
/// </summary>
/// <param name="Inner">The neurons' own state.</param>
/// <param name="Time">The index of the next step (0 at the start).</param>
public sealed record NormalizedState(NeuronState Inner, int Time) : NeuronState
{
    /// <inheritdoc />
    public override TorchSharp.torch.Tensor Membrane => Inner.Membrane;

    /// <inheritdoc />
    public override TorchSharp.torch.Tensor Spikes => Inner.Spikes;
}
