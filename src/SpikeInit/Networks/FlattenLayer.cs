using System.Text.Json.Serialization;
using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>Flattens the per-sample dimensions.</summary>
public sealed record FlattenLayer : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator) => new FlattenBlock(name);
}
