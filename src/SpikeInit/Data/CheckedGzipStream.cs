using System.Buffers.Binary;
using System.IO.Compression;

namespace SpikeInit.Data;

/// <summary>
/// A gzip file read as exactly one checked member. The decompressed bytes are capped, and when the data ends their
/// CRC-32 and length are compared with the file's last 8 bytes (the gzip trailer), so a file without its trailer, with a
/// corrupted trailer, truncated, or with bytes after the member is an error instead of silently shorter or longer data
/// (.NET's <see cref="GZipStream"/> accepts all four). <see cref="ClaimedLength"/> (the trailer's ISIZE) lets a reader
/// check the sizes its header claims before it buffers anything.
/// </summary>
internal sealed class CheckedGzipStream : Stream
{
    /// <summary>Deflate's largest compression ratio (RFC 1951: 258 bytes from a 2-bit code, about 1032:1).</summary>
    public const long MaxRatio = 1032;

    private static readonly uint[] Table = BuildTable();
    private readonly GZipStream gzip;
    private readonly string name;
    private readonly long maxBytes;
    private readonly uint expectedCrc;
    private uint crc = 0xFFFFFFFF;
    private long produced;

    /// <summary>Opens the gzip member that fills <paramref name="source"/> from its current position to its end.</summary>
    /// <param name="source">A seekable stream (disposed with this one).</param>
    /// <param name="name">The file name that starts every error message.</param>
    /// <param name="maxBytes">Cap on the decompressed bytes.</param>
    public CheckedGzipStream(Stream source, string name, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.name = name;
        this.maxBytes = maxBytes;
        long start = source.Position;
        CompressedLength = source.Length - start;
        if (CompressedLength < 18)
            throw new InvalidDataException($"{name}: {CompressedLength} bytes is shorter than the smallest gzip file (18 bytes: 10-byte header, data, 8-byte trailer)");
        Span<byte> trailer = stackalloc byte[8];
        source.Seek(-8, SeekOrigin.End);
        source.ReadExactly(trailer);
        source.Position = start;
        expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        ClaimedLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        gzip = new GZipStream(source, CompressionMode.Decompress);
    }

    /// <summary>The decompressed length modulo 2³² that the trailer claims (ISIZE).</summary>
    public uint ClaimedLength { get; }

    /// <summary>Bytes of the compressed file.</summary>
    public long CompressedLength { get; }

    /// <summary>The most bytes a gzip of <see cref="CompressedLength"/> bytes can decompress to.</summary>
    public long MaxPossibleLength => CompressedLength * MaxRatio;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => produced; set => throw new NotSupportedException(); }

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = gzip.Read(buffer);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{name}: corrupted gzip data: the deflate stream or its CRC-32/length trailer is invalid ({e.Message.Split('\n')[0]})", e);
        }
        produced += n;
        if (produced > maxBytes) throw new InvalidDataException($"{name}: decompresses to more than {maxBytes} bytes, over the cap");
        uint c = crc;
        foreach (byte b in buffer[..n]) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        crc = c;
        if (n == 0 && !buffer.IsEmpty) Verify();
        return n;
    }

    /// <summary>Reads on to the end of the data, which must come now, and checks the trailer.</summary>
    /// <param name="what">What the data so far was (for the error message), e.g. "the header's [2, 28, 28]".</param>
    public void ExpectEnd(string what)
    {
        Span<byte> probe = stackalloc byte[1];
        if (Read(probe) > 0) throw new InvalidDataException($"{name}: the decompressed data goes on after {what}");
    }

    private void Verify()
    {
        uint actual = ~crc;
        if (actual != expectedCrc || (uint)produced != ClaimedLength)
            throw new InvalidDataException($"{name}: the gzip trailer (CRC-32 {expectedCrc:x8}, length {ClaimedLength}) does not match the {produced} decompressed bytes (CRC-32 {actual:x8}); the file is truncated, corrupted or has bytes after its gzip member");
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) gzip.Dispose();
        base.Dispose(disposing);
    }
}
