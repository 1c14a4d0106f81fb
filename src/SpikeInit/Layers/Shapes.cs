namespace SpikeInit.Layers;

/// <summary>Shape arithmetic shared by convolution and pooling.</summary>
public static class Shapes
{
    /// <summary>Output length <c>⌊(n + 2p − k)/s⌋ + 1</c>; throws when the window does not fit.</summary>
    public static long ConvOut(long n, long kernel, long stride, long padding)
    {
        long span = n + 2 * padding - kernel;
        if (span < 0) throw new ArgumentException($"kernel {kernel} does not fit an input of size {n} with padding {padding}");
        return span / stride + 1;
    }
}
