namespace SpikeInit.Neurons;

/// <summary>
/// Checkpointing of the time recurrence in the fused kernels (<see cref="LifSequence"/>): with a chunk of C steps, forward
/// keeps the membrane only at chunk boundaries (T / C rows instead of T) and backward recomputes the membranes of one chunk
/// at a time from its boundary, so the memory a layer keeps for BPTT grows with T / C + C instead of T. Results are bit for
/// bit those without checkpointing (same float32 operations in the same order). A neuron's <see cref="Neuron.TimeChunk"/>
/// sets it (a run sets every block's with <c>SpikingNetwork.UseTimeChunk</c> from <c>TrainingOptions.TimeChunk</c>); it
/// applies where the kernel would otherwise keep the membranes only for backward.
/// </summary>
public static class SequenceCheckpoint
{
    /// <summary>The chunk value meaning ⌈√T⌉ steps.</summary>
    public const int Sqrt = -1;

    /// <summary>The chunk length for <paramref name="steps"/> steps under <paramref name="chunk"/>; 0 when checkpointing does not apply.</summary>
    public static int Steps(int chunk, int steps)
    {
        int c = chunk == Sqrt ? (int)Math.Ceiling(Math.Sqrt(steps)) : chunk;
        return c >= 1 && c < steps ? c : 0;
    }
}
