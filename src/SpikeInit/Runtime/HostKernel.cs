using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace SpikeInit.Runtime;

/// <summary>
/// A float32 CPU tensor's storage seen as a span. The tensor must be contiguous and stay alive while the view is used
/// (the kernels hold the tensor in a local for the whole call).
/// </summary>
internal readonly unsafe struct FloatView
{
    private readonly float* pointer;

    /// <summary>Views <paramref name="tensor"/> (contiguous float32 on the CPU).</summary>
    public FloatView(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != TorchSharp.DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("a host kernel needs a contiguous float32 CPU tensor", nameof(tensor));
        if (tensor.numel() > int.MaxValue) throw new ArgumentException($"a host kernel handles at most {int.MaxValue} elements, got {tensor.numel()}", nameof(tensor));
        Length = (int)tensor.numel();
        fixed (byte* p = tensor.bytes) pointer = (float*)p;    // native memory: the address does not move
    }

    /// <summary>The first float (for kernels that index with pointers; valid while the tensor lives).</summary>
    public float* Pointer => pointer;

    /// <summary>Number of floats.</summary>
    public int Length { get; }

    private FloatView(float* pointer, int length)
    {
        this.pointer = pointer;
        Length = length;
    }

    /// <summary>The floats <c>[start, start + length)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<float> Slice(int start, int length) => new(pointer + start, length);

    /// <summary>The floats <c>[start, start + length)</c> as a view of their own.</summary>
    public FloatView Window(long start, int length)
    {
        if (start < 0 || length < 0 || start + length > Length) throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {start + length}) is outside a view of {Length} floats");
        return new FloatView(pointer + start, length);
    }
}

/// <summary>A byte CPU tensor's storage seen as a span (contiguous; the tensor must stay alive while the view is used).</summary>
internal readonly unsafe struct ByteView
{
    private readonly byte* pointer;

    /// <summary>Views <paramref name="tensor"/> (contiguous uint8 on the CPU).</summary>
    public ByteView(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Byte || tensor.device_type != TorchSharp.DeviceType.CPU || !tensor.is_contiguous() || tensor.numel() > int.MaxValue)
            throw new ArgumentException("a host kernel needs a contiguous uint8 CPU tensor of at most int.MaxValue elements", nameof(tensor));
        fixed (byte* p = tensor.bytes) pointer = p;
    }

    /// <summary>The bytes <c>[start, start + length)</c>.</summary>
    public Span<byte> Slice(int start, int length) => new(pointer + start, length);
}

/// <summary>
/// Runs element-wise host kernels over contiguous ranges of neurons on libtorch's intra-op thread count, so one pass over
/// memory replaces a chain of tensor operations. Small problems run on the calling thread.
/// </summary>
internal static class HostKernel
{
    /// <summary>Elements per chunk: a multiple of every vector width, small enough for per-chunk state on the stack.</summary>
    public const int Chunk = 4096;

    /// <summary>Below this much work (elements × steps) a kernel runs on the calling thread.</summary>
    public const long SerialWork = 1 << 16;

    /// <summary>
    /// Calls <paramref name="body"/>(first, end) for <paramref name="bands"/> contiguous bands of rows covering
    /// <c>[0, rows)</c>, on up to libtorch's intra-op thread count (one band: on the calling thread).
    /// </summary>
    public static void ForBands(int rows, int bands, Action<int, int> body)
    {
        bands = Math.Clamp(bands, 1, Math.Max(rows, 1));
        if (bands == 1)
        {
            body(0, rows);
            return;
        }
        Parallel.For(0, bands, new ParallelOptions { MaxDegreeOfParallelism = get_num_threads() },
                     b => body((int)((long)b * rows / bands), (int)((long)(b + 1) * rows / bands)));
    }

    /// <summary>Calls <paramref name="body"/>(start, end) for chunks covering <c>[0, n)</c>, in parallel when worthwhile.</summary>
    public static void ForChunks(int n, int steps, Action<int, int> body)
    {
        int chunks = (n + Chunk - 1) / Chunk;
        int workers = (long)n * steps < SerialWork ? 1 : Math.Min(get_num_threads(), chunks);
        if (workers <= 1)
        {
            for (int c = 0; c < chunks; c++) body(c * Chunk, Math.Min(n, (c + 1) * Chunk));
            return;
        }
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            for (int c = w * chunks / workers, end = (w + 1) * chunks / workers; c < end; c++)
                body(c * Chunk, Math.Min(n, (c + 1) * Chunk));
        });
    }
}
