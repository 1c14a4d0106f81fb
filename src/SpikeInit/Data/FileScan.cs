namespace SpikeInit.Data;

/// <summary>
/// Reads a file once, sequentially, in blocks that overlap by a fixed number of bytes, so a pattern of at most that many
/// bytes is never split between two blocks: the scanners of HDF5 structures (<see cref="Hdf5Links"/>,
/// <see cref="Hdf5Heaps"/>) look at every position of the file once with bounded memory.
/// </summary>
internal static class FileScan
{
    /// <summary>
    /// Visits one block: <paramref name="data"/> holds the block and the overlap after it; positions [0, <paramref name="end"/>)
    /// are this block's own (the rest is visited again as the next block's start); <paramref name="start"/> is the file
    /// offset of <c>data[0]</c>. Returns true to stop the scan.
    /// </summary>
    public delegate bool Visitor(ReadOnlySpan<byte> data, int end, long start);

    /// <summary>Scans <paramref name="path"/> in blocks of <paramref name="block"/> bytes plus <paramref name="overlap"/>.</summary>
    public static void Blocks(string path, int block, int overlap, Visitor visit)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[block + overlap];
        int kept = 0;
        long start = 0;
        while (true)
        {
            int n = file.ReadAtLeast(buffer.AsSpan(kept), buffer.Length - kept, throwOnEndOfStream: false);
            int length = kept + n;
            bool last = n < buffer.Length - kept;
            int end = last ? length : length - overlap;
            if (visit(buffer.AsSpan(0, length), end, start) || last) return;
            buffer.AsSpan(end, length - end).CopyTo(buffer);
            start += end;
            kept = length - end;
        }
    }
}
