using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using SpikeInit.Data;

namespace SpikeInit.Fuzz;

/// <summary>The fuzzed readers with small valid seed files generated in memory.</summary>
internal static class Targets
{
    /// <summary>Cap passed to the readers that take one (the harness also watches allocations itself).</summary>
    public const long ReaderCap = 64L << 20;

    public static IReadOnlyList<Target> All(string scratch) =>
    [
        new("idx", "-idx3-ubyte", IdxSeeds(), 24, null, null, (path, _) => Idx.Read(path, ReaderCap), IdxOracle(gzip: false)),
        new("idx-gz", "-idx3-ubyte.gz", [.. IdxSeeds().Select(Gzip)], 24, Gunzip, Gzip, (path, _) => Idx.Read(path, ReaderCap), IdxOracle(gzip: true)),
        new("nmnist", ".bin", NMnistSeeds(), 64, null, null, (path, _) => NMnist.Read(path), (path, input) =>
            NMnist.Encode(NMnist.Read(path)).AsSpan().SequenceEqual(input) ? null : "accepted events do not re-encode to the file's bytes"),
        new("shd", ".h5", ShdSeeds(scratch), 1024, null, null, (path, _) => Shd.Load(path, maxBytes: ReaderCap)),
        new("npm", ".tgz", [Gzip(NpmTar())], 1024, Gunzip, Gzip, (path, work) => NpmMnist.Convert(path, work)),
    ];

    private static List<byte[]> IdxSeeds()
    {
        var random = new Random(1);
        byte[] Array(int[] shape)
        {
            var data = new byte[shape.Aggregate(1, (a, b) => a * b)];
            random.NextBytes(data);
            return [.. Idx.Header(shape), .. data];
        }
        return [Array([5, 4, 3]), Array([7]), Array([2, 2, 2, 2]), Array([3, 28, 28])];
    }

    private static Func<string, byte[], string?> IdxOracle(bool gzip) => (path, input) =>
    {
        IdxArray a = Idx.Read(path, ReaderCap);
        byte[] content = gzip ? Gunzip(input) : input;
        return content.AsSpan().SequenceEqual([.. Idx.Header(a.Shape), .. a.Data]) ? null : "accepted array differs from the file's content";
    };

    private static List<byte[]> NMnistSeeds()
    {
        var random = new Random(2);
        int t = 0;
        var events = Enumerable.Range(0, 30).Select(_ => new AddressEvent((byte)random.Next(34), (byte)random.Next(34), (byte)random.Next(2), t += random.Next(5000))).ToArray();
        return [NMnist.Encode(events), NMnist.Encode(events[..1])];
    }

    private static List<byte[]> ShdSeeds(string scratch)
    {
        string path = Path.Combine(scratch, "seed.h5");
        new PureHDF.H5File
        {
            ["spikes"] = new PureHDF.H5Group
            {
                ["times"] = new[] { new[] { 0.01f, 0.2f, 0.5f }, new[] { 0.1f }, Array.Empty<float>() },
                ["units"] = new[] { new ushort[] { 1, 600, 3 }, new ushort[] { 7 }, Array.Empty<ushort>() },
            },
            ["labels"] = new byte[] { 0, 3, 1 },
        }.Write(path);
        byte[] seed = File.ReadAllBytes(path);
        File.Delete(path);
        // and the published layout as h5py writes it (version 0 superblock, symbol-table groups), when run from the repository
        string h5py = Path.Combine("tests", "SpikeInit.Tests", "Data", "Fixtures", "shd_h5py_layout.h5");
        return File.Exists(h5py) ? [seed, File.ReadAllBytes(h5py)] : [seed];
    }

    private static byte[] NpmTar()
    {
        var ms = new MemoryStream();
        using (var tar = new TarWriter(ms, TarEntryFormat.Ustar, leaveOpen: true))
            for (int k = 0; k < 10; k++)
            {
                string values = string.Join(",", Enumerable.Range(0, 784).Select(i => (i % 97 == k ? (i % 7) / 7.0 : 0).ToString(CultureInfo.InvariantCulture)));
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"package/src/digits/{k}.json")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes("{\"data\":[" + values + "," + values + "]}")),
                });
            }
        return ms.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>The decompressed bytes of a gzip as .NET reads them (all members; bounded for the oracle's use).</summary>
    public static byte[] Gunzip(byte[] data)
    {
        try
        {
            using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            var output = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = gz.Read(chunk)) > 0 && output.Length < ReaderCap) output.Write(chunk, 0, n);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return data;
        }
    }
}
