using System.Buffers.Binary;
using System.Text;

namespace SpikeInit.Data;

/// <summary>
/// Finds HDF5 external links before the HDF5 library resolves (and opens) them. An external link is a link message
/// (version 1, link-type flag set, type 64) whose value is a version byte 0, a file name and an object path, each
/// NUL-terminated; link messages are stored unfiltered (in object headers or a group's fractal heap), so a scan of the
/// file's bytes for this structure finds every one. The structure is specific enough (lengths, charset, NUL layout)
/// that data bytes do not imitate it by chance.
/// </summary>
internal static class Hdf5Links
{
    private const int Block = 1 << 20, Overlap = 8192;

    /// <summary>The first external link in the file as "name -> file:path", or null when there is none.</summary>
    public static string? FindExternal(string path)
    {
        string? found = null;
        FileScan.Blocks(path, Block, Overlap, (data, end, _) =>
        {
            for (int i = data[..end].IndexOf((byte)0x40); i >= 0; i = Next(data, end, i))
                if (i >= 2 && Describe(data, i - 2) is { } link)
                {
                    found = link;
                    return true;
                }
            return false;
        });
        return found;
    }

    private static int Next(ReadOnlySpan<byte> data, int end, int i)
    {
        int j = data[(i + 1)..end].IndexOf((byte)0x40);
        return j < 0 ? -1 : i + 1 + j;
    }

    /// <summary>The external link message starting at <paramref name="p"/>, or null when the bytes there are not one.</summary>
    private static string? Describe(ReadOnlySpan<byte> b, int p)
    {
        if (b[p] != 1) return null;
        int flags = b[p + 1];
        if ((flags & 0xE0) != 0 || (flags & 0x08) == 0 || b[p + 2] != 0x40) return null;
        int q = p + 3;
        if ((flags & 0x04) != 0) q += 8;
        if ((flags & 0x10) != 0)
        {
            if (q >= b.Length || b[q] > 1) return null;
            q++;
        }
        int sizeBytes = 1 << (flags & 3);
        if (q + sizeBytes > b.Length) return null;
        long nameLength = sizeBytes switch
        {
            1 => b[q],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(b[q..]),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(b[q..]),
            _ => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(b[q..]), long.MaxValue),
        };
        q += sizeBytes;
        if (nameLength is < 1 or > 1024 || q + nameLength + 2 > b.Length) return null;
        ReadOnlySpan<byte> name = b.Slice(q, (int)nameLength);
        if (name.Contains((byte)0)) return null;
        q += (int)nameLength;
        int infoLength = BinaryPrimitives.ReadUInt16LittleEndian(b[q..]);
        q += 2;
        if (infoLength is < 5 or > 4096 || q + infoLength > b.Length) return null;
        ReadOnlySpan<byte> info = b.Slice(q, infoLength);
        if (info[0] != 0 || info[^1] != 0) return null;
        int firstNul = info[1..].IndexOf((byte)0) + 1;
        if (firstNul < 2 || firstNul >= infoLength - 2 || info[(firstNul + 1)..^1].Contains((byte)0)) return null;
        return $"'{Encoding.UTF8.GetString(name)}' -> {Encoding.UTF8.GetString(info[1..firstNul])}:{Encoding.UTF8.GetString(info[(firstNul + 1)..^1])}";
    }
}
