using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace SpikeInit.Runtime;

/// <summary>
/// A dense product <c>C = A·B</c> whose B (at most <see cref="MaxDepth"/> rows) is packed by tile of
/// <see cref="SpikeMatmul.Tile"/> columns, <c>[tiles, k, Tile]</c> (the layout <see cref="SpikeMatmul"/> reads, zero past
/// the last column), so that one tile stays in the core's cache while blocks of four rows of A are multiplied with it in
/// sixteen vector accumulators. Each output is <c>Σ_k a_k·b_k</c> accumulated in increasing k by fused multiply-adds
/// into one float32, so for a 0/1 row of A the result equals <see cref="SpikeMatmul"/>'s event-driven sum bit for bit.
/// <para>
/// Why SpikeInit has its own: libtorch's CPU sgemm runs products of this size (a recurrent step's 128 × 256 × 256, a
/// layer's input gradient) at single-thread speed when called once per time step (an OpenMP hand-off per call under
/// SpikeInit's passive wait policy) and at about half of an AVX-512 core's peak on the AMD machines measured here; this
/// kernel runs on the caller's thread, so a recurrence can give each thread its own rows for all T steps
/// (docs/PERFORMANCE.md, "Own dense kernel").
/// </para>
/// </summary>
internal static unsafe class DenseMatmul
{
    /// <summary>The largest inner dimension: a tile of B (<c>k × Tile</c> floats, 512 KiB at the limit) stays in the core's L2.</summary>
    public const int MaxDepth = 2048;

    /// <summary>Whether the CPU runs the kernel in hardware (AVX-512, or AVX2 with FMA); otherwise callers use libtorch.</summary>
    public static bool Available => Vector512.IsHardwareAccelerated || (Vector256.IsHardwareAccelerated && Fma.IsSupported);

    private const int Tile = SpikeMatmul.Tile;

    /// <summary>
    /// <c>c[r, 0..n) = bias + a[r, 0..k)·B</c> for r in <c>[0, rows)</c> on the calling thread, with B packed
    /// <c>[tiles, k, Tile]</c>, the bias packed <c>[tiles·Tile]</c> (null: none) and row strides <paramref name="lda"/>
    /// and <paramref name="ldc"/> (floats). <paramref name="wide"/>: 512-bit vectors (when false, 256-bit: the path of
    /// CPUs without AVX-512, selectable for tests).
    /// </summary>
    public static void Rows(float* a, int lda, int rows, int k, float* packed, float* bias, int n, float* c, int ldc, bool? wide = null)
    {
        bool w512 = wide ?? Vector512.IsHardwareAccelerated;
        for (int tile = 0, tiles = SpikeMatmul.Tiles(n); tile < tiles; tile++)
            Tile4(a, lda, rows, k, packed + (long)tile * k * Tile, bias is null ? null : bias + tile * Tile, c + tile * Tile, ldc, Math.Min(Tile, n - tile * Tile), w512);
    }

    /// <summary>The row product on views: A's rows from float <paramref name="aStart"/> of <paramref name="a"/>, C's from <paramref name="cStart"/> of <paramref name="c"/>.</summary>
    public static void Rows(FloatView a, long aStart, int lda, int rows, int k, FloatView packed, int n, FloatView c, long cStart, int ldc) =>
        Rows(a.Pointer + aStart, lda, rows, k, packed.Pointer, null, n, c.Pointer + cStart, ldc);

    /// <summary>
    /// The row product over all rows on up to libtorch's intra-op thread count: work items are (tile, band of rows),
    /// consecutive items sharing a tile.
    /// </summary>
    public static void Multiply(float* a, int lda, int rows, int k, float* packed, float* bias, int n, float* c, int ldc, bool accumulate = false)
    {
        int tiles = SpikeMatmul.Tiles(n);
        long work = (long)rows * k * n;
        int bands = work < 1 << 21 ? 1 : Math.Max(1, Math.Min((rows + 3) / 4, 4 * get_num_threads()));
        HostKernel.ForBands(tiles * bands, work < 1 << 21 ? 1 : tiles * bands, (first, end) =>
        {
            for (int w = first; w < end; w++)
            {
                int tile = w / bands, band = w % bands;
                int r0 = (int)((long)band * rows / bands), r1 = (int)((long)(band + 1) * rows / bands);
                Tile4(a + (long)r0 * lda, lda, r1 - r0, k, packed + (long)tile * k * Tile, bias is null ? null : bias + tile * Tile,
                      c + (long)r0 * ldc + tile * Tile, ldc, Math.Min(Tile, n - tile * Tile), Vector512.IsHardwareAccelerated, accumulate);
            }
        });
    }

    /// <summary>
    /// <c>a·b</c> for float32 CPU matrices <paramref name="a"/> <c>[rows, k]</c> and <paramref name="b"/> <c>[k, n]</c>
    /// on this kernel when it is <see cref="Available"/> (else libtorch's <c>mm</c>). A deeper product runs in blocks of
    /// <see cref="MaxDepth"/> rows of b, each adding to the sums the block before left in the output: the same sums, in
    /// the same order, as one pass.
    /// </summary>
    public static Tensor Times(Tensor a, Tensor b)
    {
        int rows = (int)a.shape[0], k = (int)a.shape[1], n = (int)b.shape[1];
        if (!Available || a.dtype != ScalarType.Float32 || b.dtype != ScalarType.Float32 || a.device_type != TorchSharp.DeviceType.CPU
            || b.device_type != TorchSharp.DeviceType.CPU || k == 0 || a.numel() > int.MaxValue || b.numel() > int.MaxValue || (long)rows * n > int.MaxValue)
            return a.mm(b);
        using var scope = NewDisposeScope();
        Tensor x = a.contiguous(), c = empty([rows, n], ScalarType.Float32);
        for (int k0 = 0; k0 < k; k0 += MaxDepth)
        {
            int depth = Math.Min(MaxDepth, k - k0);
            using Tensor packed = SpikeLinear.PackColumns(b.narrow(0, k0, depth));
            Multiply(new FloatView(x).Pointer + k0, k, rows, depth, new FloatView(packed).Pointer, null, n, new FloatView(c).Pointer, n, accumulate: k0 > 0);
        }
        GC.KeepAlive(x);
        return c.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One tile of <paramref name="width"/> ≤ Tile output columns for <paramref name="rows"/> rows, four at a time, from the
    /// bias or (<paramref name="accumulate"/>) adding to what c holds.
    /// </summary>
    private static void Tile4(float* a, int lda, int rows, int k, float* block, float* bias, float* c, int ldc, int width, bool wide, bool accumulate = false)
    {
        float* ragged = stackalloc float[4 * Tile];
        for (int r = 0; r < rows; r += 4)
        {
            int count = Math.Min(4, rows - r);
            bool direct = width == Tile;
            float* target = direct ? c + (long)r * ldc : ragged;
            int stride = direct ? ldc : Tile;
            float* ar = a + (long)r * lda;
            if (accumulate && !direct)
                for (int i = 0; i < count; i++) new Span<float>(c + (long)(r + i) * ldc, width).CopyTo(new Span<float>(ragged + i * Tile, Tile));
            if (wide) Micro<Lanes512, Vector512<float>>(ar, lda, count, k, block, bias, accumulate, target, stride);
            else
            {
                Micro<Lanes256, Vector256<float>>(ar, lda, count, k, block, bias, accumulate, target, stride);
                Micro<Lanes256, Vector256<float>>(ar, lda, count, k, block + Tile / 2, bias is null ? null : bias + Tile / 2, accumulate, target + Tile / 2, stride);
            }
            if (!direct)
                for (int i = 0; i < count; i++) new Span<float>(ragged + i * Tile, width).CopyTo(new Span<float>(c + (long)(r + i) * ldc, width));
        }
    }

    /// <summary>
    /// Up to four rows × 4 vectors of columns (64 with 512-bit vectors, 32 with 256-bit), from the bias or (<paramref
    /// name="accumulate"/>) from what c holds: sixteen accumulators, one fused multiply-add per row and vector for each k
    /// (a missing row reads row 0 and is not stored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro<TL, TV>(float* a, int lda, int count, int k, float* block, float* bias, bool accumulate, float* c, int ldc)
        where TL : struct, ILanes<TV> where TV : struct
    {
        int n = TL.Count;
        float* a0 = a, a1 = count > 1 ? a + lda : a, a2 = count > 2 ? a + 2L * lda : a, a3 = count > 3 ? a + 3L * lda : a;
        TV c00 = default, c01 = default, c02 = default, c03 = default;
        if (bias is not null) (c00, c01, c02, c03) = (TL.Load(bias), TL.Load(bias + n), TL.Load(bias + 2 * n), TL.Load(bias + 3 * n));
        TV c10 = c00, c11 = c01, c12 = c02, c13 = c03, c20 = c00, c21 = c01, c22 = c02, c23 = c03, c30 = c00, c31 = c01, c32 = c02, c33 = c03;
        if (accumulate)
        {
            float* r1 = count > 1 ? c + ldc : c, r2 = count > 2 ? c + 2L * ldc : c, r3 = count > 3 ? c + 3L * ldc : c;
            (c00, c01, c02, c03) = (TL.Load(c), TL.Load(c + n), TL.Load(c + 2 * n), TL.Load(c + 3 * n));
            (c10, c11, c12, c13) = (TL.Load(r1), TL.Load(r1 + n), TL.Load(r1 + 2 * n), TL.Load(r1 + 3 * n));
            (c20, c21, c22, c23) = (TL.Load(r2), TL.Load(r2 + n), TL.Load(r2 + 2 * n), TL.Load(r2 + 3 * n));
            (c30, c31, c32, c33) = (TL.Load(r3), TL.Load(r3 + n), TL.Load(r3 + 2 * n), TL.Load(r3 + 3 * n));
        }
        float* w = block;
        for (int i = 0; i < k; i++, w += Tile)
        {
            TV w0 = TL.Load(w), w1 = TL.Load(w + n), w2 = TL.Load(w + 2 * n), w3 = TL.Load(w + 3 * n);
            TV b = TL.Splat(a0[i]);
            c00 = TL.Fma(b, w0, c00); c01 = TL.Fma(b, w1, c01); c02 = TL.Fma(b, w2, c02); c03 = TL.Fma(b, w3, c03);
            b = TL.Splat(a1[i]);
            c10 = TL.Fma(b, w0, c10); c11 = TL.Fma(b, w1, c11); c12 = TL.Fma(b, w2, c12); c13 = TL.Fma(b, w3, c13);
            b = TL.Splat(a2[i]);
            c20 = TL.Fma(b, w0, c20); c21 = TL.Fma(b, w1, c21); c22 = TL.Fma(b, w2, c22); c23 = TL.Fma(b, w3, c23);
            b = TL.Splat(a3[i]);
            c30 = TL.Fma(b, w0, c30); c31 = TL.Fma(b, w1, c31); c32 = TL.Fma(b, w2, c32); c33 = TL.Fma(b, w3, c33);
        }
        Store<TL, TV>(c, c00, c01, c02, c03);
        if (count > 1) Store<TL, TV>(c + ldc, c10, c11, c12, c13);
        if (count > 2) Store<TL, TV>(c + 2L * ldc, c20, c21, c22, c23);
        if (count > 3) Store<TL, TV>(c + 3L * ldc, c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TL, TV>(float* c, TV v0, TV v1, TV v2, TV v3) where TL : struct, ILanes<TV> where TV : struct
    {
        TL.Store(v0, c);
        TL.Store(v1, c + TL.Count);
        TL.Store(v2, c + 2 * TL.Count);
        TL.Store(v3, c + 3 * TL.Count);
    }

    /// <summary>The vector operations the micro-kernel needs, for one width (the JIT compiles one copy per width).</summary>
    private interface ILanes<TV> where TV : struct
    {
        static abstract int Count { get; }

        static abstract TV Load(float* p);

        static abstract TV Splat(float x);

        static abstract TV Fma(TV a, TV b, TV c);

        static abstract void Store(TV v, float* p);
    }

    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(float* p) => Vector512.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Splat(float x) => Vector512.Create(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<float> v, float* p) => v.Store(p);
    }

    private readonly struct Lanes256 : ILanes<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(float* p) => Vector256.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Splat(float x) => Vector256.Create(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<float> v, float* p) => v.Store(p);
    }
}
