using SpikeInit.Layers;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>2-D pooling; <paramref name="Stride"/> 0 means equal to the kernel.</summary>
public sealed record PoolLayer(PoolKind Kind, int Kernel, int Stride = 0) : LayerSpec
{
    internal override Block Build(string name, long[] inputShape, ScalarType dtype, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 3)
            throw new ArgumentException($"pool2d needs a [C, H, W] input but receives shape [{string.Join(", ", inputShape)}]");
        int kernel = Validate.AtLeast(Kernel, "kernel", 1);
        return new PoolBlock(name, Validate.Defined(Kind, "kind"), kernel, Stride == 0 ? kernel : Validate.AtLeast(Stride, "stride", 1));
    }
}
