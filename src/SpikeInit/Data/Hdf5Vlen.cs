using System.Buffers.Binary;
using System.Reflection;
using PureHDF;

namespace SpikeInit.Data;

/// <summary>
/// Checks every row descriptor of a variable-length dataset before PureHDF decodes it. A descriptor is the row's element
/// count (4 bytes) and the global heap ID of its data (collection address, object index); PureHDF allocates an array of
/// the claimed count before it looks at the heap object, so a corrupt count in a small file could ask for gigabytes, and a
/// count that does not match its object would silently read a different row. Each count must be exactly the heap
/// object's size over the element size (as HDF5 writes it), and a row without an object must be empty. The descriptors
/// are read from the file directly: PureHDF 2.2 keeps a dataset's storage address internal, so it is reached by
/// reflection here, in one place (a test fails if a PureHDF update moves it). Chunked variable-length datasets cannot be
/// checked this way and are refused with the command that rewrites them contiguously.
/// </summary>
internal static class Hdf5Vlen
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>Throws <see cref="InvalidDataException"/> at the first row whose descriptor disagrees with the heap.</summary>
    /// <param name="set">A 1-D variable-length dataset whose <paramref name="rows"/> were checked to fit in the file.</param>
    /// <param name="rows">The dataset's row count.</param>
    /// <param name="elementSize">Bytes per element of the base type.</param>
    /// <param name="heap">The file's global heap objects (<see cref="Hdf5Heaps.Check"/>).</param>
    /// <param name="path">The file, for reading contiguous descriptors.</param>
    /// <param name="name">The dataset's path, for messages.</param>
    public static void Check(IH5Dataset set, long rows, int elementSize, IReadOnlyDictionary<(long Collection, uint Index), long> heap, string path, string name)
    {
        int rowBytes = (int)set.Type.Size, addressBytes = rowBytes - 8;
        if (addressBytes is not (2 or 4 or 8))
            throw new InvalidDataException($"{name}: variable-length rows of {rowBytes} bytes (expected 4 + address + 4 bytes)");
        using Stream? descriptors = Descriptors(set, rows * rowBytes, path, name);
        if (descriptors is null) return;                                                     // storage never written: every row is empty
        Span<byte> d = stackalloc byte[rowBytes];
        for (long r = 0; r < rows; r++)
        {
            descriptors.ReadExactly(d);
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(d);
            long collection = addressBytes switch
            {
                2 => BinaryPrimitives.ReadUInt16LittleEndian(d[4..]),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(d[4..]),
                _ => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(d[4..]), long.MaxValue),
            };
            uint index = BinaryPrimitives.ReadUInt32LittleEndian(d[(4 + addressBytes)..]);
            long bytes = heap.TryGetValue((collection, index), out long size) ? size : 0;
            if ((long)count * elementSize != bytes)
                throw new InvalidDataException(heap.ContainsKey((collection, index))
                    ? $"{name}: row {r} claims {count} elements of {elementSize} bytes but its heap object holds {bytes} bytes"
                    : $"{name}: row {r} claims {count} elements but references no heap object (collection {collection}, object {index})");
        }
    }

    /// <summary>The raw descriptors of the dataset as a stream at the first, or null when its storage was never allocated.</summary>
    private static Stream? Descriptors(IH5Dataset set, long bytes, string path, string name)
    {
        object layout = Member(set, "InternalDataLayout");
        switch (set.Layout.Class)
        {
            case H5DataLayoutClass.Compact:
                byte[] data = (byte[])(TryMember(layout, "CompactData") ?? Member(Member(layout, "Properties"), "Data"));
                if (data.Length < bytes) throw new InvalidDataException($"{name}: compact storage of {data.Length} bytes holds fewer than its {bytes} bytes of rows");
                return new MemoryStream(data, writable: false);
            case H5DataLayoutClass.Contiguous:
                ulong address = (ulong)(TryMember(layout, "Address") ?? Member(Member(layout, "Properties"), "Address"));
                if (address == ulong.MaxValue) return null;
                var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                if (file.Length < bytes || address > (ulong)(file.Length - bytes))
                {
                    file.Dispose();
                    throw new InvalidDataException($"{name}: its {bytes} bytes of rows at byte {address} lie beyond the end of the file ({new FileInfo(path).Length} bytes)");
                }
                file.Position = (long)address;
                return file;
            default:
                throw new InvalidDataException($"{name}: variable-length rows stored {set.Layout.Class.ToString().ToLowerInvariant()} are not read (their lengths cannot be checked before allocation); rewrite the file contiguously, e.g. h5repack -l CONTI in.h5 out.h5");
        }
    }

    private static object Member(object target, string name) =>
        TryMember(target, name) ?? throw new InvalidOperationException($"PureHDF's {target.GetType().Name}.{name} was not found: the HDF5 reader's internals changed (SpikeInit expects PureHDF 2.2)");

    private static object? TryMember(object target, string name) => target.GetType().GetProperty(name, Internal)?.GetValue(target);
}
