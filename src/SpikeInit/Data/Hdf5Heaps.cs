using System.Buffers.Binary;

namespace SpikeInit.Data;

/// <summary>
/// Checks the sizes that HDF5 global heap collections (where variable-length rows live) claim, before the HDF5 library
/// allocates them: a collection ("GCOL", version 1, 3 reserved bytes, its size) must fit in the file, and each object in
/// it (index, reference count, 4 reserved bytes, its size, the data padded to 8 bytes) must fit in its collection.
/// PureHDF allocates what these fields claim before it reads, so a 1 KB file could otherwise ask for gigabytes. Every
/// collection the library can read starts with the "GCOL" signature, so a scan of the file's bytes finds them all.
/// The scan returns the table of objects found, which <see cref="Hdf5Vlen"/> checks each variable-length row against.
/// </summary>
internal static class Hdf5Heaps
{
    private const int Block = 1 << 20, Overlap = 3;
    private static readonly byte[] Signature = "GCOL"u8.ToArray();

    /// <summary>
    /// Every global heap object of the file, keyed by (collection address, object index), with its size in bytes. Throws
    /// <see cref="InvalidDataException"/> (naming the file and offset) at the first collection or object that does not fit.
    /// </summary>
    public static Dictionary<(long Collection, uint Index), long> Check(string path, long fileBytes)
    {
        var objects = new Dictionary<(long, uint), long>();
        using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        FileScan.Blocks(path, Block, Overlap, (data, end, start) =>
        {
            for (int i = 0; i < end;)
            {
                int j = data[i..].IndexOf(Signature);
                if (j < 0 || i + j >= end) break;
                CheckCollection(probe, start + i + j, fileBytes, path, objects);
                i += j + 1;
            }
            return false;
        });
        return objects;
    }

    private static void CheckCollection(FileStream file, long offset, long fileBytes, string path, Dictionary<(long, uint), long> objects)
    {
        Span<byte> header = stackalloc byte[16];
        file.Position = offset;
        if (file.ReadAtLeast(header, 16, throwOnEndOfStream: false) < 16 || header[4] != 1) return;   // not a collection header
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        if (size < 16 || size > (ulong)(fileBytes - offset))
            throw new InvalidDataException($"{path}: the global heap collection at byte {offset} claims {size} bytes but only {fileBytes - offset} remain in the file");
        long end = offset + (long)size, at = offset + 16;
        while (at + 16 <= end)
        {
            file.Position = at;
            file.ReadExactly(header);
            ushort index = BinaryPrimitives.ReadUInt16LittleEndian(header);
            if (index == 0) return;                                                                  // free space: the rest is empty
            ulong objectSize = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            if (objectSize > (ulong)(end - at - 16))
                throw new InvalidDataException($"{path}: the global heap object at byte {at} claims {objectSize} bytes but its collection has only {end - at - 16} left");
            objects[(offset, index)] = (long)objectSize;
            at += 16 + (long)((objectSize + 7) & ~7UL);
        }
    }
}
