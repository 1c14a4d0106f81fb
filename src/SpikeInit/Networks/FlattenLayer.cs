using SpikeInit.Layers;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>Flattens the per-sample dimensions.</summary>
public sealed record FlattenLayer : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) => new FlattenBlock(name);
}
