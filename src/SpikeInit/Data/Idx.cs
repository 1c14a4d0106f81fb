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
/// length that does not match the header, truncated gzip — raises one <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class Idx
{
    /// <summary>Default cap on the decoded size (1 GiB): large enough for every MNIST-family file.</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>Reads an IDX file (gzip detected by its magic bytes).</summary>
    public static IdxArray Read(string path, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        DataFile.RequireRegular(path);                       // a FIFO or /dev/zero is refused before opening
        try
        {
            using FileStream file = File.OpenRead(path);
            return Read(file, maxBytes, path);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads an IDX stream.</summary>
    public static IdxArray Read(Stream stream, long maxBytes = DefaultMaxBytes, string name = "IDX stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ReadAll(stream, maxBytes, name);
        return Parse(bytes, maxBytes, name);
    }

    private static byte[] ReadAll(Stream stream, long maxBytes, string name)
    {
        var buffered = new BufferedStream(stream);
        int b0 = buffered.ReadByte(), b1 = buffered.ReadByte();
        if (b0 < 0 || b1 < 0) throw new InvalidDataException($"{name}: file is empty or shorter than the 4-byte IDX magic");
        var prefix = new MemoryStream([(byte)b0, (byte)b1]);
        Stream source = new ConcatStream(prefix, buffered);
        if (b0 == 0x1f && b1 == 0x8b) source = new GZipStream(source, CompressionMode.Decompress);
        var output = new MemoryStream();
        var chunk = new byte[1 << 16];
        try
        {
            int n;
            while ((n = source.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + n > maxBytes + 4 * 256 + 4)
                    throw new InvalidDataException($"{name}: decoded data exceeds the size cap of {maxBytes} bytes");
                output.Write(chunk, 0, n);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException && e is not FileNotFoundException)
        {
            if (e is InvalidDataException && e.Message.StartsWith(name, StringComparison.Ordinal)) throw;
            throw new InvalidDataException($"{name}: corrupted or truncated gzip data ({e.Message})", e);
        }
        return output.ToArray();
    }

    private static IdxArray Parse(byte[] bytes, long maxBytes, string name)
    {
        if (bytes.Length < 4) throw new InvalidDataException($"{name}: {bytes.Length} bytes is shorter than the 4-byte IDX magic");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{name}: bad magic {bytes[0]:x2} {bytes[1]:x2} {bytes[2]:x2} {bytes[3]:x2}; an IDX file starts with 00 00");
        if (bytes[2] != 0x08)
            throw new InvalidDataException($"{name}: data type 0x{bytes[2]:x2} is not supported (only 0x08, unsigned bytes)");
        int dims = bytes[3];
        if (dims < 1 || dims > 4) throw new InvalidDataException($"{name}: {dims} dimensions (expected 1 to 4)");
        int header = 4 + 4 * dims;
        if (bytes.Length < header) throw new InvalidDataException($"{name}: truncated header ({bytes.Length} bytes, {header} needed for {dims} dimensions)");
        var shape = new int[dims];
        long total = 1;
        for (int d = 0; d < dims; d++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (size <= 0) throw new InvalidDataException($"{name}: dimension {d} has size {size} (must be positive)");
            total *= size;
            if (total > maxBytes) throw new InvalidDataException($"{name}: dimensions [{string.Join(", ", shape[..d].Append(size))}] exceed the size cap of {maxBytes} bytes");
            shape[d] = size;
        }
        long expected = header + total;
        if (bytes.Length != expected)
            throw new InvalidDataException(bytes.Length < expected
                ? $"{name}: truncated: {bytes.Length} bytes but the header [{string.Join(", ", shape)}] needs {expected}"
                : $"{name}: {bytes.Length - expected} trailing bytes after the data of shape [{string.Join(", ", shape)}]");
        return new IdxArray(shape, bytes[header..]);
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

    /// <summary>Two streams read one after the other (to put back the sniffed magic bytes).</summary>
    private sealed class ConcatStream(Stream first, Stream second) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = first.Read(buffer, offset, count);
            return n > 0 ? n : second.Read(buffer, offset, count);
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
