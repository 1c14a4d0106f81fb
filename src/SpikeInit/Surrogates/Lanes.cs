using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpikeInit.Surrogates;

/// <summary>
/// Vectorized host evaluation of the surrogate derivatives: a float32 function given in a scalar and a
/// <see cref="Vector{T}"/> form built from the same IEEE operations in the same order (abs, +, ×, ÷, compare/select; no
/// fused multiply-add), so a lane of the vector form equals the scalar form bit for bit. <see cref="Map{TFunction}"/> runs
/// the vector form over whole vectors and the scalar form over the tail.
/// </summary>
internal static class Lanes
{
    /// <summary>A float32 function in its scalar and vector forms (bit-identical lane by lane).</summary>
    public interface IFunction
    {
        /// <summary>The scalar form.</summary>
        float Apply(float x);

        /// <summary>The vector form, lane by lane the same operations as <see cref="Apply(float)"/>.</summary>
        Vector<float> Apply(Vector<float> x);
    }

    /// <summary><c>γ·f(β·x)</c> for a profile f: the scaling of <see cref="NormalizedSurrogate"/> around its shape.</summary>
    public readonly struct Scaled<TProfile>(float sharpness, float gamma) : IFunction where TProfile : struct, IFunction
    {
        /// <inheritdoc />
        public float Apply(float x) => default(TProfile).Apply(x * sharpness) * gamma;

        /// <inheritdoc />
        public Vector<float> Apply(Vector<float> x) => default(TProfile).Apply(x * new Vector<float>(sharpness)) * new Vector<float>(gamma);
    }

    /// <summary><paramref name="result"/>[i] = f(<paramref name="x"/>[i]) (in place allowed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TFunction>(ReadOnlySpan<float> x, Span<float> result, TFunction f) where TFunction : struct, IFunction
    {
        if (result.Length < x.Length) throw new ArgumentException($"result has {result.Length} elements, x {x.Length}", nameof(result));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float rr = ref MemoryMarshal.GetReference(result);
        int i = 0, w = Vector<float>.Count;
        for (; i <= x.Length - w; i += w) Vector.StoreUnsafe(f.Apply(Vector.LoadUnsafe(ref xr, (nuint)i)), ref rr, (nuint)i);
        for (; i < x.Length; i++) result[i] = f.Apply(x[i]);
    }
}
