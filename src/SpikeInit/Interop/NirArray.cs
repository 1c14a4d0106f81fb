namespace SpikeInit.Interop;

/// <summary>A numeric dataset of a NIR file, read as float64 (whatever its stored dtype) with its shape.</summary>
/// <param name="Values">The values in C order.</param>
/// <param name="Shape">The dataset's dimensions (empty for a scalar).</param>
internal sealed record NirArray(double[] Values, long[] Shape)
{
    /// <summary>Number of values.</summary>
    public long Count => Values.LongLength;

    /// <summary>The shape as text, e.g. <c>[10, 100]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
