using System.Buffers.Binary;
using System.IO.Compression;
using SpikeInit.IO;

namespace SpikeInit.Data;

/// <summary>An n-dimensional array of unsigned bytes read from an IDX file (the MNIST format).</summary>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Data">Row-major values.</param>
public sealed record IdxArray(int[] Shape, byte[] Data)
{
    /// <summary>Number of items along the first dimension.</summary>
    public int Count => Shape[0];

    /// <summary>Bytes per item (product of the remaining dimensions).</summary>
    public int ItemSize => Shape.Length == 1 ? 1 : Shape[1..].Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// Reads and writes IDX files (plain or gzip): magic <c>00 00 08 d</c> (unsigned bytes, d dimensions), d big-endian
/// int32 sizes, then the data. Every inconsistency — bad magic, unsupported type, zero or oversized dimensions, a
/// length that does not match the header, trailing bytes, a gzip without a valid trailer — raises one
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
/// <remarks>
/// Reading is bounded: the header is checked before anything is buffered — the claimed size against the memory cap, and
/// against the file's size (plain) or the gzip trailer's length and deflate's largest ratio (gzip) — and a gzip is
/// decompressed into a buffer that grows with the bytes that really arrive, never past what the header claims. So the
/// allocation is at most the claimed size, and for a gzip at most about three times the bytes it really holds.
/// </remarks>
public static class Idx
{
    /// <summary>Default cap on the decoded size (1 GiB): large enough for every MNIST-family file.</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>Reads an IDX file (gzip detected by its magic bytes).</summary>
    /// <param name="path">The file; it must be a regular file (a FIFO or device is refused before opening).</param>
    /// <param name="maxBytes">Cap on the data bytes the header may claim.</param>
    public static IdxArray Read(string path, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        DataFile.RequireRegular(path);                       // a FIFO or /dev/zero is refused before opening
        try
        {
            using FileStream file = File.OpenRead(path);
            return Read(file, maxBytes, path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads an IDX stream (a stream that cannot seek is first copied, up to the cap).</summary>
    public static IdxArray Read(Stream stream, long maxBytes = DefaultMaxBytes, string name = "IDX stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (maxBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "max_bytes must be at least 1");
        maxBytes = Math.Min(maxBytes, (long)Array.MaxLength);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = stream.Read(chunk)) > 0)
            {
                if (copy.Length + n > maxBytes + (1 << 20)) throw new InvalidDataException($"{name}: longer than the cap of {maxBytes} bytes");
                copy.Write(chunk, 0, n);
            }
            copy.Position = 0;
            stream = copy;
        }
        long length = stream.Length - stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position -= got;
        return got == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? ReadGzip(stream, length, maxBytes, name) : ReadPlain(stream, length, maxBytes, name);
    }

    private static IdxArray ReadPlain(Stream stream, long length, long maxBytes, string name)
    {
        var (shape, total, header) = ReadHeader(stream, maxBytes, name);
        long expected = header + total;
        if (length != expected)
            throw new InvalidDataException(length < expected
                ? $"{name}: truncated: {length} bytes but the header [{string.Join(", ", shape)}] needs {expected}"
                : $"{name}: {length - expected} trailing bytes after the data of shape [{string.Join(", ", shape)}] (the file must be exactly {expected} bytes)");
        var data = new byte[total];
        stream.ReadExactly(data);
        return new IdxArray(shape, data);
    }

    private static IdxArray ReadGzip(Stream stream, long length, long maxBytes, string name)
    {
        using var gzip = new CheckedGzipStream(stream, name, maxBytes + 4 + 4 * 4);
        var (shape, total, header) = ReadHeader(gzip, maxBytes, name);
        long claimed = header + total;
        string dims = $"[{string.Join(", ", shape)}]";
        if (claimed > gzip.MaxPossibleLength)
            throw new InvalidDataException($"{name}: the header {dims} claims {claimed} bytes, more than a gzip of {length} bytes can hold (at most {gzip.MaxPossibleLength})");
        if ((uint)claimed != gzip.ClaimedLength)
            throw new InvalidDataException($"{name}: the header {dims} claims {claimed} bytes but the gzip trailer says {gzip.ClaimedLength} (mod 2^32); the file is truncated, corrupted or has bytes after its gzip member");
        // grow with the bytes that really arrive: a forged header cannot make us allocate what the file does not hold
        var data = new byte[Math.Min(total, 8 * length + (1 << 16))];
        long filled = 0;
        while (filled < total)
        {
            if (filled == data.Length) Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
            int n = gzip.Read(data.AsSpan((int)filled, (int)Math.Min(data.Length - filled, 1 << 20)));
            if (n == 0) throw new InvalidDataException($"{name}: the decompressed data ends after {filled} of the {total} bytes the header {dims} claims");
            filled += n;
        }
        gzip.ExpectEnd($"the {total} data bytes of the header {dims}");
        return new IdxArray(shape, data);
    }

    /// <summary>Reads and checks the magic and the dimensions: the shape, the data bytes it claims and the header's bytes.</summary>
    private static (int[] Shape, long Total, int Header) ReadHeader(Stream stream, long maxBytes, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4) throw new InvalidDataException($"{name}: {got} bytes is shorter than the 4-byte IDX magic");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{name}: bad magic {magic[0]:x2} {magic[1]:x2} {magic[2]:x2} {magic[3]:x2}; an IDX file starts with 00 00");
        if (magic[2] != 0x08)
            throw new InvalidDataException($"{name}: data type 0x{magic[2]:x2} is not supported (only 0x08, unsigned bytes)");
        int dims = magic[3];
        if (dims < 1 || dims > 4) throw new InvalidDataException($"{name}: {dims} dimensions (expected 1 to 4)");
        int header = 4 + 4 * dims;
        Span<byte> sizes = stackalloc byte[4 * dims];
        got = stream.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false);
        if (got < sizes.Length) throw new InvalidDataException($"{name}: truncated header ({4 + got} bytes, {header} needed for {dims} dimensions)");
        var shape = new int[dims];
        long total = 1;
        for (int d = 0; d < dims; d++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(sizes[(4 * d)..]);
            if (size <= 0) throw new InvalidDataException($"{name}: dimension {d} has size {size} (must be 1 to {int.MaxValue})");
            total *= size;
            if (total > maxBytes) throw new InvalidDataException($"{name}: dimensions [{string.Join(", ", shape[..d].Append(size))}] hold more than the cap of {maxBytes} bytes");
            shape[d] = size;
        }
        return (shape, total, header);
    }

    /// <summary>Writes an unsigned-byte IDX file, gzip-compressed when the path ends in <c>.gz</c>; atomic.</summary>
    public static void Write(string path, IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(array);
        long total = array.Shape.Aggregate(1L, (a, b) => a * b);
        if (total != array.Data.Length) throw new ArgumentException($"shape [{string.Join(", ", array.Shape)}] does not match {array.Data.Length} bytes");
        byte[] header = Header(array.Shape);
        AtomicFile.Write(path, temp =>
        {
            using FileStream file = File.Create(temp);
            using Stream target = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Optimal) : file;
            target.Write(header);
            target.Write(array.Data);
        });
    }

    /// <summary>The header bytes of an unsigned-byte IDX array of the given shape.</summary>
    public static byte[] Header(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var header = new byte[4 + 4 * shape.Length];
        header[2] = 0x08;
        header[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), shape[d]);
        return header;
    }
}
