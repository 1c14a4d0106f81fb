using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SpikeInit.Runtime;

/// <summary>
/// Products with a binary spike matrix S <c>[rows, in]</c> that touch only its ones (event-driven): the forward current
/// <c>Y = S·Wᵀ + b</c> adds, for each row, the rows of Wᵀ its spikes select, and the weight gradient
/// <c>∂L/∂Wᵀ = Sᵀ·G</c> adds, for each input, the rows of G of the samples in which it spiked. Both cost
/// ones × out additions instead of rows × in × out multiply-adds.
/// <para>
/// The added matrices come packed by tile of <see cref="Tile"/> output columns, <c>[tiles, n, Tile]</c> (zero past the
/// last column), so that each tile is one contiguous block that stays in cache while it is summed, and a row's
/// accumulators for a tile stay in registers. Summation order: increasing index, one float32 accumulator per output, so
/// results differ from a GEMM's by rounding only.
/// </para>
/// </summary>
internal static unsafe class SpikeMatmul
{
    /// <summary>Output columns per tile (4 vectors of 16, or 8 of 8).</summary>
    public const int Tile = 64;

    /// <summary>Number of tiles for <paramref name="outs"/> output columns.</summary>
    public static int Tiles(int outs) => (outs + Tile - 1) / Tile;

    /// <summary>
    /// <paramref name="y"/> <c>[rows, out]</c> = S·Wᵀ + b, from Wᵀ packed <c>[tiles, in, Tile]</c> and the bias packed
    /// <c>[tiles·Tile]</c> (null: none).
    /// </summary>
    public static void Forward(SpikeRows s, FloatView packedWt, FloatView? packedBias, FloatView y, int outs, bool serial = false) =>
        Sum(s.RowStart, s.Columns, s.Rows, s.Cols, packedWt, packed: true, packedBias, y, outs, serial);

    /// <summary>
    /// <paramref name="gradWt"/> <c>[in, out]</c> = Sᵀ·G, from G <c>[rows, out]</c> with <c>out</c> a multiple of
    /// <see cref="Tile"/> (G's rows are read in place, a tile at a time: a row's tile is as contiguous as in a packed copy),
    /// or packed <c>[tiles, rows, Tile]</c> (<paramref name="packed"/>): row c is the sum of G's rows in which input c spiked
    /// (zero when it never did).
    /// </summary>
    public static void WeightGradientTransposed(SpikeRows s, FloatView g, bool packed, FloatView gradWt, int outs)
    {
        var (start, rows) = s.ByColumn();
        Sum(start, rows, s.Cols, s.Rows, g, packed, null, gradWt, outs, serial: false);
    }

    /// <summary>
    /// <c>sums[c, :] += Σ g[r, :]</c> over the rows r in which input c spiked (the spikes <paramref name="s"/>: rows of
    /// <paramref name="g"/> <c>[s.Rows, outs]</c>, outs a multiple of <see cref="Tile"/>), for the inputs c of
    /// <paramref name="sums"/> <c>[s.Cols, outs]</c>, on the calling thread: a term of the weight gradient Sᵀ·G accumulated in
    /// place (each row of sums is read and written once, its tile summed in registers).
    /// </summary>
    public static void AccumulateTransposed(SpikeRows s, FloatView g, FloatView sums, int outs)
    {
        if (outs % Tile != 0) throw new ArgumentException($"outs must be a multiple of {Tile}, got {outs}", nameof(outs));
        var (start, rows) = s.ByColumn();
        for (int c = 0; c < s.Cols; c++)
        {
            if (start[c] == start[c + 1]) continue;
            for (int o0 = 0; o0 < outs; o0 += Tile)
            {
                float* row = sums.Pointer + (long)c * outs + o0;
                SumTile(rows, start[c], start[c + 1], g.Pointer + o0, outs, row, row);
            }
        }
    }

    /// <summary>
    /// <c>target[i, :] = bias + Σ_k source[index[k], :]</c> over k in <c>[start[i], start[i + 1])</c>, for i in
    /// <c>[0, count)</c>, with source <c>[n, outs]</c> packed <c>[tiles, n, Tile]</c> (or, not <paramref name="packed"/>,
    /// row-major with outs a multiple of Tile) and target <c>[count, outs]</c> row-major; <paramref name="serial"/>: on the calling thread.
    /// </summary>
    private static void Sum(int[] start, int[] index, int count, int n, FloatView source, bool packed, FloatView? bias, FloatView target, int outs, bool serial)
    {
        int tiles = Tiles(outs);
        int bands = serial ? 1 : Math.Max(1, Math.Min(count, 4 * TorchSharp.torch.get_num_threads()));
        HostKernel.ForBands(tiles * bands, serial ? 1 : tiles * bands, (first, end) =>
        {
            // Work item w: tile w / bands, band w % bands (consecutive items share a tile: its block stays in cache).
            float* ragged = stackalloc float[Tile];
            for (int w = first; w < end; w++)
            {
                int tile = w / bands, band = w % bands;
                int o0 = tile * Tile, width = Math.Min(Tile, outs - o0);
                int i0 = (int)((long)band * count / bands), i1 = (int)((long)(band + 1) * count / bands);
                float* block = source.Pointer + (packed ? (long)tile * n * Tile : o0);
                float* b = bias is { } bv ? bv.Pointer + o0 : null;
                for (int i = i0; i < i1; i++)
                {
                    float* row = target.Pointer + (long)i * outs + o0;
                    SumTile(index, start[i], start[i + 1], block, packed ? Tile : outs, b, width == Tile ? row : ragged);
                    if (width < Tile) new Span<float>(ragged, width).CopyTo(new Span<float>(row, width));
                }
            }
        });
    }

    /// <summary><paramref name="target"/>[0..Tile) = bias + Σ_k block[index[k]·stride + 0..Tile) over k in [from, to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumTile(int[] index, int from, int to, float* block, int stride, float* bias, float* target)
    {
        fixed (int* ix = index)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                Vector512<float> a0, a1, a2, a3;
                if (bias is null) a0 = a1 = a2 = a3 = Vector512<float>.Zero;
                else (a0, a1, a2, a3) = (Vector512.Load(bias), Vector512.Load(bias + 16), Vector512.Load(bias + 32), Vector512.Load(bias + 48));
                for (int k = from; k < to; k++)
                {
                    float* p = block + (long)ix[k] * stride;
                    a0 += Vector512.Load(p);
                    a1 += Vector512.Load(p + 16);
                    a2 += Vector512.Load(p + 32);
                    a3 += Vector512.Load(p + 48);
                }
                a0.Store(target);
                a1.Store(target + 16);
                a2.Store(target + 32);
                a3.Store(target + 48);
                return;
            }
            for (int half = 0; half < Tile; half += Tile / 2)        // 256-bit vectors (or their software fallback): two passes of 32
            {
                Vector256<float> a0, a1, a2, a3;
                if (bias is null) a0 = a1 = a2 = a3 = Vector256<float>.Zero;
                else (a0, a1, a2, a3) = (Vector256.Load(bias + half), Vector256.Load(bias + half + 8), Vector256.Load(bias + half + 16), Vector256.Load(bias + half + 24));
                for (int k = from; k < to; k++)
                {
                    float* p = block + (long)ix[k] * stride + half;
                    a0 += Vector256.Load(p);
                    a1 += Vector256.Load(p + 8);
                    a2 += Vector256.Load(p + 16);
                    a3 += Vector256.Load(p + 24);
                }
                a0.Store(target + half);
                a1.Store(target + half + 8);
                a2.Store(target + half + 16);
                a3.Store(target + half + 24);
            }
        }
    }
}
