namespace SpikeInit.Neurons;

/// <summary>
/// Checkpointing of the time recurrence in the fused kernels (<see cref="LifSequence"/>): with a chunk of C steps, forward
/// keeps the membrane only at chunk boundaries (T / C rows instead of T) and backward recomputes the membranes of one chunk
/// at a time from its boundary, so the memory a layer keeps for BPTT grows with T / C + C instead of T. Results are bit for
/// bit those without checkpointing (same float32 operations in the same order). Set per run with <see cref="Use"/>
/// (<c>TrainingOptions.TimeChunk</c>); applies where the kernel would otherwise keep the membranes only for backward.
/// </summary>
public static class SequenceCheckpoint
{
    /// <summary>The chunk value meaning ⌈√T⌉ steps.</summary>
    public const int Sqrt = -1;

    private static readonly AsyncLocal<int> Current = new();

    /// <summary>The chunk in effect: 0 (off), <see cref="Sqrt"/>, or a number of steps.</summary>
    public static int Chunk => Current.Value;

    /// <summary>Uses <paramref name="chunk"/> (0 off, <see cref="Sqrt"/>, or steps ≥ 1) until the result is disposed.</summary>
    public static IDisposable Use(int chunk)
    {
        if (chunk < Sqrt) throw new ArgumentException($"time chunk must be 0 (off), -1 (sqrt) or a number of steps >= 1, got {chunk}", nameof(chunk));
        int previous = Current.Value;
        Current.Value = chunk;
        return new Restore(previous);
    }

    /// <summary>The chunk length for <paramref name="steps"/> steps under <paramref name="chunk"/>; 0 when checkpointing does not apply.</summary>
    public static int Steps(int chunk, int steps)
    {
        int c = chunk == Sqrt ? (int)Math.Ceiling(Math.Sqrt(steps)) : chunk;
        return c >= 1 && c < steps ? c : 0;
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
