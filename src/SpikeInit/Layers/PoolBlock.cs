using SpikeInit.Neurons;
using SpikeInit.Runtime;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>Pooling kinds.</summary>
public enum PoolKind
{
    /// <summary>Max pooling (on spikes: OR over the window).</summary>
    Max,
    /// <summary>Average pooling.</summary>
    Average,
}

/// <summary>Stateless 2-D pooling over <c>[N, C, H, W]</c>.</summary>
public sealed class PoolBlock : Block
{
    private readonly PoolKind kind;
    private readonly long kernel, stride;

    /// <summary>Creates the pooling stage.</summary>
    public PoolBlock(string name, PoolKind kind, long kernel, long stride) : base(name)
    {
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        RegisterComponents();
    }

    /// <summary>Max or average.</summary>
    public PoolKind Kind => kind;

    /// <summary>Window size k (k×k).</summary>
    public long Kernel => kernel;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return [inputShape[0], Shapes.ConvOut(inputShape[1], kernel, stride, 0), Shapes.ConvOut(inputShape[2], kernel, stride, 0)];
    }

    /// <inheritdoc />
    public override BlockRun Run(Tensor sequence, bool recordMembrane) => new(OverTime(sequence, Pool), null, null);

    /// <inheritdoc />
    public override (Tensor Output, NeuronState? State) Step(Tensor input, NeuronState? state) => (Pool(input), null);

    private Tensor Pool(Tensor x) => kind == PoolKind.Max
        ? HostMaxPool.Apply(x, kernel, stride)
        : nn.functional.avg_pool2d(x, kernel, stride);
}
