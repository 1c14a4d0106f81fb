using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>Creates parameters with PyTorch's default initialization, drawn from an explicit generator.</summary>
internal static class DefaultInit
{
    /// <summary>U(±1/√fan_in), PyTorch's default for Linear/Conv weights and biases (kaiming_uniform with a = √5).</summary>
    public static Parameter Uniform(long[] shape, long fanIn, ScalarType dtype, Generator? generator)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        using var _ = no_grad();
        return new Parameter(empty(shape, dtype).uniform_(-bound, bound, generator));
    }
}
