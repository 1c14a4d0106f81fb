using System.Runtime.CompilerServices;

namespace SpikeInit.Data;

/// <summary>
/// A read-only view of a file for the HDF5 reader that stops runaway recursion and reading: every access first checks
/// that the stack has room (a soft-link loop makes PureHDF recurse without end; this turns the would-be stack overflow
/// into an exception, which PureHDF reports as an unresolved link), and the bytes read in total are capped.
/// </summary>
internal sealed class GuardedStream(Stream inner, long maxBytesRead) : Stream
{
    private long read;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position
    {
        get => inner.Position;
        set
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            inner.Position = value;
        }
    }

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int n = inner.Read(buffer);
        read += n;
        if (read > maxBytesRead) throw new InvalidDataException($"read more than {maxBytesRead} bytes of metadata and data (a cycle or inflated sizes in the file)");
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return inner.Seek(offset, origin);
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
