using System.Buffers.Binary;

namespace SpikeInit.Data;

/// <summary>
/// Checks the link messages of the HDF5 object headers that the HDF5 library will read, before it reads them. A link
/// message stores its name's length in up to 8 bytes and PureHDF allocates that many bytes before reading, so one
/// corrupt length in a 1 KB file asks for gigabytes; a message is at most 65535 bytes, so the name must fit in its
/// message. The walk follows the library's path: from the root group's header named by a version 2 or 3 superblock,
/// through every version-2 header ("OHDR") its hard links reach and their continuation blocks ("OCHK"), reading each
/// message as declared, in order. Files with version 0/1 superblocks keep group members in symbol tables, whose names
/// live in local heaps that the library reads by their stated size (checked against the file by the library itself);
/// links kept in dense storage (a fractal heap) are not walked.
/// </summary>
internal static class Hdf5Headers
{
    private const byte LinkMessage = 0x06, ContinuationMessage = 0x10;
    private const int MaxHeaders = 100_000, MaxChunk = 1 << 20;
    private static readonly byte[] Superblock = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A], Header = "OHDR"u8.ToArray(), Continuation = "OCHK"u8.ToArray();

    /// <summary>Throws <see cref="InvalidDataException"/> (naming the file and offset) at the first malformed link message.</summary>
    public static void Check(string path, long fileBytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        Span<byte> b = stackalloc byte[12 + 4 * 8];
        if (file.ReadAtLeast(b, b.Length, throwOnEndOfStream: false) < b.Length || !b[..8].SequenceEqual(Superblock) || b[8] < 2) return;
        int offsets = b[9];
        if (offsets is not (2 or 4 or 8)) return;                                             // the library refuses it
        var pending = new Queue<long>([Address(b[(12 + 3 * offsets)..], offsets)]);
        var seen = new HashSet<long>();
        while (pending.Count > 0 && seen.Count < MaxHeaders)
        {
            long at = pending.Dequeue();
            if (at < 0 || at >= fileBytes || !seen.Add(at)) continue;
            Object(file, at, fileBytes, offsets, path, pending);
        }
    }

    /// <summary>One version-2 object header at <paramref name="at"/> (others are not this check's concern).</summary>
    private static void Object(FileStream file, long at, long fileBytes, int offsets, string path, Queue<long> pending)
    {
        Span<byte> prefix = stackalloc byte[40];
        file.Position = at;
        int read = file.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (read < 8 || !prefix[..4].SequenceEqual(Header) || prefix[4] != 2) return;
        int flags = prefix[5], p = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0), sizeBytes = 1 << (flags & 3);
        if (read < p + sizeBytes) return;
        long size = Address(prefix[p..], sizeBytes);
        var chunks = new Queue<(long Start, long Size)>([(at + p + sizeBytes, size)]);
        for (int n = 0; chunks.Count > 0 && n < 64; n++)
        {
            var (start, length) = chunks.Dequeue();
            Chunk(file, start, length, (flags & 0x04) != 0 ? 6 : 4, fileBytes, offsets, path, pending, chunks);
        }
    }

    /// <summary>The messages of one chunk, in order, as declared; a chunk cut off by the end of the file is read up to the cut.</summary>
    private static void Chunk(FileStream file, long start, long size, int header, long fileBytes, int offsets, string path,
                              Queue<long> pending, Queue<(long, long)> chunks)
    {
        if (size is < 0 or > MaxChunk || start > fileBytes) return;
        var chunk = new byte[size];
        file.Position = start;
        int available = file.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
        for (int p = 0; chunk.Length - p >= header && p + header <= available;)
        {
            byte type = chunk[p];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(p + 1)), data = p + header;
            var m = chunk.AsSpan(data, Math.Clamp(Math.Min(length, available - data), 0, chunk.Length - data));
            if (type == LinkMessage && Link(m, length, start + data, offsets, path) is { } target)
                pending.Enqueue(target);
            if (type == ContinuationMessage && m.Length >= 2 * offsets)
            {
                long address = Address(m, offsets), bytes = Address(m[offsets..], offsets);
                if (address >= 0 && bytes >= 8 && address <= fileBytes - bytes && Signature(file, address, Continuation))
                    chunks.Enqueue((address + 4, bytes - 8));
            }
            if (data + length > chunk.Length) return;                                           // overruns its chunk: the library fails here
            p = data + length;
        }
    }

    /// <summary>
    /// Checks one link message: <paramref name="m"/> holds the bytes of it that are in the file, <paramref name="length"/>
    /// is its declared size. Returns the object header address of a hard link (null for soft and external links).
    /// </summary>
    private static long? Link(ReadOnlySpan<byte> m, int length, long offset, int offsets, string path)
    {
        if (m.Length < 2) return null;
        if (m[0] != 1) throw new InvalidDataException($"{path}: the link message at byte {offset} has version {m[0]} (HDF5 writes version 1)");
        int flags = m[1], q = 2 + ((flags & 0x08) != 0 ? 1 : 0) + ((flags & 0x04) != 0 ? 8 : 0) + ((flags & 0x10) != 0 ? 1 : 0), sizeBytes = 1 << (flags & 3);
        if (q + sizeBytes > length)
            throw new InvalidDataException($"{path}: the link message at byte {offset} ends inside its own header ({length} bytes)");
        if (q + sizeBytes > m.Length) return null;                                             // the file ends first: the library fails reading it
        long name = Address(m[q..], sizeBytes);
        if (name < 0 || name > length - q - sizeBytes)
            throw new InvalidDataException($"{path}: the link message at byte {offset} claims a name of {(ulong)name} bytes but holds only {length - q - sizeBytes}");
        bool hard = (flags & 0x08) == 0 || m[2] == 0;
        int target = q + sizeBytes + (int)name;
        return hard && target + offsets <= m.Length ? Address(m[target..], offsets) : null;
    }

    private static long Address(ReadOnlySpan<byte> b, int bytes) => bytes switch
    {
        1 => b[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(b),
    };

    private static bool Signature(FileStream file, long address, byte[] signature)
    {
        Span<byte> b = stackalloc byte[4];
        file.Position = address;
        return file.ReadAtLeast(b, 4, throwOnEndOfStream: false) == 4 && b.SequenceEqual(signature);
    }
}
