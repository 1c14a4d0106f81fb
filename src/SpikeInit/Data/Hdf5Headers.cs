using System.Buffers.Binary;

namespace SpikeInit.Data;

/// <summary>
/// Checks the lengths inside the messages of the HDF5 object headers that the HDF5 library will read, before it reads
/// them. A link message stores its name's length and a fill value message its value's size in up to 8 bytes, and PureHDF
/// allocates what they claim before reading, so one corrupt length in a 1 KB file asks for gigabytes; a message is at
/// most 65535 bytes, so what it holds must fit in it. The walk follows the library's path from the superblock's root
/// group: version-2 headers ("OHDR", continuation blocks "OCHK") and version-1 headers (continuation blocks without a
/// signature), the hard links of link messages and the members of symbol-table groups (the group B-tree "TREE", its
/// symbol nodes "SNOD" and its local heap "HEAP", whose name segment must lie in the file), reading each message as
/// declared, in order. Links kept in dense storage (a fractal heap) are not walked.
/// </summary>
internal static class Hdf5Headers
{
    private const int OldFillValueMessage = 0x04, FillValueMessage = 0x05, LinkMessage = 0x06, ContinuationMessage = 0x10, SymbolTableMessage = 0x11;
    private const int MaxHeaders = 100_000, MaxChunk = 1 << 20;
    private static readonly byte[] Superblock = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A], Header = "OHDR"u8.ToArray(),
                                   Continuation = "OCHK"u8.ToArray(), Tree = "TREE"u8.ToArray(), SymbolNode = "SNOD"u8.ToArray(), Heap = "HEAP"u8.ToArray();

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> (naming the file and offset) at the first link message, fill value message
    /// or local heap whose claimed length does not fit; files that are not HDF5 are left to the library's own error.
    /// </summary>
    public static void Check(string path, long fileBytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        Span<byte> b = stackalloc byte[28 + 6 * 8];
        if (file.ReadAtLeast(b, b.Length, throwOnEndOfStream: false) < b.Length || !b[..8].SequenceEqual(Superblock)) return;
        int version = b[8], offsets = version >= 2 ? b[9] : b[13], lengths = version >= 2 ? b[10] : b[14];
        if (offsets is not (2 or 4 or 8) || lengths is not (2 or 4 or 8)) return;           // the library refuses it
        // version 2/3: root header address after base, extension and end-of-file addresses; version 0/1: in the root
        // group's symbol table entry (name offset, header address), after base, free-space, end-of-file and driver addresses
        long root = version >= 2 ? Address(b[(12 + 3 * offsets)..], offsets) : Address(b[((version == 0 ? 24 : 28) + 5 * offsets)..], offsets);
        var walk = new Walk(file, fileBytes, offsets, lengths, path);
        walk.Headers.Enqueue(root);
        while (walk.Headers.Count > 0 && walk.Seen.Count < MaxHeaders)
        {
            long at = walk.Headers.Dequeue();
            if (at >= 0 && at < fileBytes && walk.Seen.Add(at)) Object(walk, at);
        }
    }

    /// <summary>The state of one walk: the file, the headers still to visit and every structure visited.</summary>
    private sealed record Walk(FileStream File, long FileBytes, int Offsets, int Lengths, string Path)
    {
        public Queue<long> Headers { get; } = new();
        public HashSet<long> Seen { get; } = [];
    }

    /// <summary>One object header at <paramref name="at"/>: version 2 ("OHDR") or version 1.</summary>
    private static void Object(Walk w, long at)
    {
        Span<byte> prefix = stackalloc byte[40];
        w.File.Position = at;
        int read = w.File.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var chunks = new Queue<(long Start, long Size)>();
        int header;
        if (read >= 16 && prefix[0] == 1)                                                    // version 1: 16-byte prefix, 8-byte message headers
        {
            header = 8;
            chunks.Enqueue((at + 16, BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..])));
        }
        else if (read >= 8 && prefix[..4].SequenceEqual(Header) && prefix[4] == 2)
        {
            int flags = prefix[5], p = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0), sizeBytes = 1 << (flags & 3);
            if (read < p + sizeBytes) return;
            header = (flags & 0x04) != 0 ? 6 : 4;
            chunks.Enqueue((at + p + sizeBytes, Address(prefix[p..], sizeBytes)));
        }
        else return;                                                                          // not a header this check knows
        for (int n = 0; chunks.Count > 0 && n < 64; n++)
        {
            var (start, length) = chunks.Dequeue();
            Chunk(w, start, length, header, chunks);
        }
    }

    /// <summary>The messages of one chunk, in order, as declared; a chunk cut off by the end of the file is read up to the cut.</summary>
    private static void Chunk(Walk w, long start, long size, int header, Queue<(long, long)> chunks)
    {
        if (size is < 0 or > MaxChunk || start > w.FileBytes) return;
        var chunk = new byte[size];
        w.File.Position = start;
        int available = w.File.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false), o = w.Offsets;
        for (int p = 0; chunk.Length - p >= header && p + header <= available;)
        {
            int type = header == 8 ? BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(p)) : chunk[p];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(p + (header == 8 ? 2 : 1))), data = p + header;
            var m = chunk.AsSpan(data, Math.Clamp(Math.Min(length, available - data), 0, chunk.Length - data));
            long offset = start + data;
            switch (type)
            {
                case LinkMessage when Link(m, length, offset, o, w.Path) is { } target: w.Headers.Enqueue(target); break;
                case FillValueMessage or OldFillValueMessage: FillValue(m, type, length, offset, w.Path); break;
                case SymbolTableMessage when m.Length >= 2 * o:
                    GroupTree(w, Address(m, o), depth: 0);
                    LocalHeap(w, Address(m[o..], o));
                    break;
                case ContinuationMessage when m.Length >= 2 * o:
                    long address = Address(m, o), bytes = Address(m[o..], o);
                    bool signed = header != 8;                                                // version-2 continuation blocks carry "OCHK" and a checksum
                    if (address >= 0 && bytes >= 8 && address <= w.FileBytes - bytes && (!signed || Signature(w.File, address, Continuation)))
                        chunks.Enqueue(signed ? (address + 4, bytes - 8) : (address, bytes));
                    break;
            }
            if (data + length > chunk.Length) return;                                           // overruns its chunk: the library fails here
            p = data + length;
        }
    }

    /// <summary>A group's B-tree (version 1, "TREE", node type 0): its symbol nodes' entries name the members' headers.</summary>
    private static void GroupTree(Walk w, long node, int depth)
    {
        int o = w.Offsets, l = w.Lengths;
        if (depth > 32 || node < 0 || node > w.FileBytes - 24 || !w.Seen.Add(node) || w.Seen.Count > MaxHeaders) return;
        Span<byte> prefix = stackalloc byte[8];
        w.File.Position = node;
        if (w.File.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix[..4].SequenceEqual(Tree) || prefix[4] != 0) return;
        int level = prefix[5], entries = BinaryPrimitives.ReadUInt16LittleEndian(prefix[6..]);
        var body = new byte[Math.Min(2 * o + entries * (l + o) + l, MaxChunk)];                // siblings, then keys (heap offsets) and children
        int read = w.File.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        for (int i = 0; i < entries && 2 * o + (i + 1) * (l + o) <= read; i++)
        {
            long child = Address(body.AsSpan(2 * o + (i + 1) * l + i * o), o);
            if (level > 0) GroupTree(w, child, depth + 1);
            else SymbolNodes(w, child);
        }
    }

    /// <summary>A symbol node ("SNOD"): each entry is a link name offset and the member's header address.</summary>
    private static void SymbolNodes(Walk w, long node)
    {
        int o = w.Offsets, entry = 2 * o + 24;
        if (node < 0 || node > w.FileBytes - 8 || !w.Seen.Add(node)) return;
        Span<byte> prefix = stackalloc byte[8];
        w.File.Position = node;
        if (w.File.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix[..4].SequenceEqual(SymbolNode)) return;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(prefix[6..]);
        var entries = new byte[count * entry];
        int read = w.File.ReadAtLeast(entries, entries.Length, throwOnEndOfStream: false);
        for (int i = 0; (i + 1) * entry <= read; i++)
            w.Headers.Enqueue(Address(entries.AsSpan(i * entry + o), o));
    }

    /// <summary>A group's local heap ("HEAP", version 0), where its member names live: its data segment must lie in the file.</summary>
    private static void LocalHeap(Walk w, long at)
    {
        int o = w.Offsets, l = w.Lengths;
        if (at < 0 || at > w.FileBytes - 8) return;
        Span<byte> b = stackalloc byte[8 + 2 * 8 + 8];
        w.File.Position = at;
        if (w.File.ReadAtLeast(b, 8 + 2 * l + o, throwOnEndOfStream: false) < 8 + 2 * l + o || !b[..4].SequenceEqual(Heap) || b[4] != 0) return;
        long size = Address(b[8..], l), data = Address(b[(8 + 2 * l)..], o);
        if (size < 0 || data < 0 || data > w.FileBytes || size > w.FileBytes - data)
            throw new InvalidDataException($"{w.Path}: the local heap at byte {at} claims {(ulong)size} bytes of names at byte {(ulong)data} but the file has {w.FileBytes} bytes");
    }

    /// <summary>A fill value message (old: size and value; new: version, times, defined flag, then size and value) must hold its value.</summary>
    private static void FillValue(ReadOnlySpan<byte> m, int type, int length, long offset, string path)
    {
        int at = type == OldFillValueMessage ? 0 : m.Length < 1 ? -1 : m[0] switch
        {
            1 => 4,
            2 => m.Length >= 4 && m[3] != 0 ? 4 : -1,                                        // the size is there only when a value is defined
            3 => m.Length >= 2 && (m[1] & 0x20) != 0 ? 2 : -1,
            _ => -1,
        };
        if (at < 0 || at + 4 > m.Length) return;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(m[at..]);
        if (size > length - at - 4)
            throw new InvalidDataException($"{path}: the fill value message at byte {offset} claims a value of {size} bytes but holds only {length - at - 4}");
    }

    /// <summary>
    /// Checks one link message: <paramref name="m"/> holds the bytes of it that are in the file, <paramref name="length"/>
    /// is its declared size. Returns the object header address of a hard link (null for soft and external links).
    /// </summary>
    private static long? Link(ReadOnlySpan<byte> m, int length, long offset, int offsets, string path)
    {
        if (length < 2) throw new InvalidDataException($"{path}: the link message at byte {offset} holds {length} bytes, too few for a link");
        if (m.Length < 2) return null;                                                           // the file ends first: the library fails reading it
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
