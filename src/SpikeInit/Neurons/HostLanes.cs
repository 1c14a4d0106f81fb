using System.Numerics;
using System.Runtime.CompilerServices;

namespace SpikeInit.Neurons;

/// <summary>
/// Vector loads and stores at offset j of a span whose length need not be a multiple of the vector width: a whole vector
/// is read or written in place, the ragged last one through a zero-padded copy (the padding lanes are computed and dropped).
/// </summary>
internal static class HostLanes
{
    /// <summary>The vector at <paramref name="j"/> (zero-padded past the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ReadOnlySpan<float> source, int j) =>
        j + Vector<float>.Count <= source.Length ? new Vector<float>(source[j..]) : LoadPadded(source, j);

    /// <summary>The ragged last vector, kept out of line so that <see cref="Load"/> inlines into the kernels' loops.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<float> LoadPadded(ReadOnlySpan<float> source, int j)
    {
        Span<float> padded = stackalloc float[Vector<float>.Count];
        padded.Clear();
        source[j..].CopyTo(padded);
        return new Vector<float>(padded);
    }

    /// <summary>Writes the lanes of <paramref name="value"/> that fall inside <paramref name="target"/> from <paramref name="j"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, Span<float> target, int j)
    {
        if (j + Vector<float>.Count <= target.Length) value.CopyTo(target[j..]);
        else StorePadded(value, target, j);
    }

    /// <summary>The ragged last vector, kept out of line so that <see cref="Store"/> inlines into the kernels' loops.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePadded(Vector<float> value, Span<float> target, int j)
    {
        Span<float> padded = stackalloc float[Vector<float>.Count];
        value.CopyTo(padded);
        padded[..(target.Length - j)].CopyTo(target[j..]);
    }

    /// <summary><paramref name="result"/> = h'(<paramref name="u"/> − θ), the surrogate derivative of a row (in place allowed).</summary>
    public static void Slope(ReadOnlySpan<float> u, Span<float> result, float theta, Surrogates.Surrogate surrogate)
    {
        int j = 0, w = Vector<float>.Count;
        var th = new Vector<float>(theta);
        for (; j <= u.Length - w; j += w) (new Vector<float>(u[j..]) - th).CopyTo(result[j..]);
        for (; j < u.Length; j++) result[j] = u[j] - theta;
        surrogate.Derivative(result[..u.Length], result[..u.Length]);
    }
}
