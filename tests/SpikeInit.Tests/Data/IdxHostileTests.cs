using System.Buffers.Binary;
using System.IO.Compression;
using SpikeInit.Data;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Hostile IDX files, plain and gzip: each gives one <see cref="InvalidDataException"/> (or
/// <see cref="FileNotFoundException"/>) starting with the file's path, within 10 s, allocating under 8 MiB — the claimed
/// sizes are checked against the file, the gzip trailer, deflate's ratio and the cap before anything is buffered.
/// </summary>
public sealed class IdxHostileTests(ITestOutputHelper output) : TempFolderTest("spikeinit-idx-hostile-")
{
    private const long AllocationCap = 8L << 20;

    private static byte[] Valid(int n = 3, int h = 2, int w = 2) => [.. Idx.Header([n, h, w]), .. Enumerable.Range(0, n * h * w).Select(i => (byte)(i * 37))];

    internal static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>A gzip whose trailer is overwritten: ISIZE set to <paramref name="isize"/> (CRC kept).</summary>
    private static byte[] WithIsize(byte[] gz, uint isize)
    {
        byte[] copy = [.. gz];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), isize);
        return copy;
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        byte[] copy = [.. bytes];
        copy[index < 0 ? copy.Length + index : index] ^= 0x40;
        return copy;
    }

    private HostileCase Case(string kind, string words, byte[] bytes, long maxBytes = Idx.DefaultMaxBytes, string name = "images-idx3-ubyte")
    {
        string path = T.Write(dir, kind.Replace(' ', '-').Replace('/', '-') + "-" + name, bytes);
        return new HostileCase(kind, path, words, () => Idx.Read(path, maxBytes));
    }

    private HostileCase Gz(string kind, string words, byte[] bytes, long maxBytes = Idx.DefaultMaxBytes) => Case(kind, words, bytes, maxBytes, "images-idx3-ubyte.gz");

    [Fact]
    public async Task Hostile_plain_idx_files_fail_cleanly_fast_and_small()
    {
        byte[] v = Valid();
        var cases = new List<HostileCase>
        {
            Case("empty", "shorter than the 4-byte IDX magic", []),
            Case("wrong magic", "bad magic 12 34", [0x12, 0x34, .. v[2..]]),
            Case("float data type", "only 0x08", [0, 0, 0x0D, .. v[3..]]),
            Case("zero dimensions", "expected 1 to 4", [0, 0, 8, 0]),
            Case("255 dimensions", "255 dimensions (expected 1 to 4)", [0, 0, 8, 255, .. new byte[64]]),
            Case("truncated header", "truncated header", v[..9]),
            Case("truncated data", "truncated", v[..^1]),
            Case("trailing bytes", "2 trailing bytes", [.. v, 1, 2]),
            Case("zero size", "must be 1 to 2147483647", Idx.Header([0, 2, 2])),
            Case("negative size", "size -2 (must be 1 to", [0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFE]),
            Case("claims 2^31 x 2^31 x 2", "more than the cap", Idx.Header([int.MaxValue, int.MaxValue, 2])),
            Case("1500x1500 images from 60 KB", "needs 22500016", [.. Idx.Header([10, 1500, 1500]), .. new byte[60 * 1024]]),
            Case("1 MB of zeros (claims nothing)", "data type 0x00", new byte[1 << 20]),
            Case("16 MiB claimed, budget 1 MiB", "more than the cap of 1048576", [.. Idx.Header([16, 1024, 1024]), .. new byte[16]], 1 << 20),
            new HostileCase("missing file", Path.Combine(dir, "none"), "does not exist", () => Idx.Read(Path.Combine(dir, "none"))),
            new HostileCase("folder", dir, "is a folder", () => Idx.Read(dir)),
        };
        if (!OperatingSystem.IsWindows())
        {
            string fifo = HostileCases.Fifo(Path.Combine(dir, "fifo-idx"));
            string link = HostileCases.LinkToDevZero(Path.Combine(dir, "zero-idx"));
            cases.Add(new HostileCase("FIFO", fifo, "FIFO (named pipe)", () => Idx.Read(fifo)));
            cases.Add(new HostileCase("/dev/zero", "/dev/zero", "character device", () => Idx.Read("/dev/zero")));
            cases.Add(new HostileCase("link to /dev/zero", link, "character device", () => Idx.Read(link)));
        }
        output.WriteLine($"largest allocation (plain IDX): {await HostileCases.Check(cases, AllocationCap, output)} bytes");
    }

    [Fact]
    public async Task Hostile_gzip_idx_files_fail_cleanly_fast_and_small()
    {
        byte[] v = Valid();
        byte[] gz = Gzip(v);
        byte[] bomb = Gzip([.. Idx.Header([64, 1024, 1024]), .. new byte[64 << 20]]);          // 64 MiB of zeros in ~0.6 MB
        byte[] random = new byte[64 << 10];
        new Random(7).NextBytes(random);
        var cases = new List<HostileCase>
        {
            Gz("no trailer", "trailer", gz[..^8]),
            Gz("half a trailer", "trailer", gz[..^4]),
            Gz("CRC-32 flipped", "corrupted gzip data", Flip(gz, -8)),
            Gz("ISIZE flipped", "trailer", Flip(gz, -1)),
            Gz("garbage after the member", "trailer", [.. gz, 1, 2, 3, 4, 5]),
            Gz("second member appended", "goes on after", [.. gz, .. gz]),
            Gz("truncated in the deflate data", "trailer", gz[..(gz.Length / 2)]),
            Gz("deflate data flipped", "corrupted gzip data", Flip(gz, 12)),
            Gz("compression method 7", "corrupted gzip data", [0x1f, 0x8b, 7, .. gz[3..]]),
            Gz("10 bytes", "shorter than the smallest gzip file", gz[..10]),
            Gz("payload longer than the header", "trailer says 29", Gzip([.. v, 9])),
            Gz("payload shorter than the header", "trailer says 27", Gzip(v[..^1])),
            Gz("header [10,1500,1500] in 40 bytes", "more than a gzip of", Gzip(Idx.Header([10, 1500, 1500]))),
            Gz("forged ISIZE, 64 KB of data claims 60 MB", "corrupted gzip data", WithIsize(Gzip([.. Idx.Header([60_000_000]), .. random]), 60_000_008)),
            Gz("gzip bomb: 64 MiB zeros, budget 16 MiB", "more than the cap of 16777216", bomb, 16 << 20),
            Gz("zeros without an IDX header", "data type 0x00", Gzip(new byte[1 << 20])),
            Gz("plain IDX inside, valid gzip, wrong magic", "bad magic", Gzip([1, 2, .. v[2..]])),
        };
        output.WriteLine($"gzip bomb: {bomb.Length} bytes");
        output.WriteLine($"largest allocation (gzip IDX): {await HostileCases.Check(cases, AllocationCap, output)} bytes");
    }

    [Fact]
    public void A_valid_gzip_reads_the_same_as_the_plain_file_and_a_real_bomb_within_budget_is_read()
    {
        byte[] v = Valid(50, 28, 28);
        IdxArray plain = Idx.Read(T.Write(dir, "p", v));
        IdxArray zipped = Idx.Read(T.Write(dir, "p.gz", Gzip(v)));
        Assert.Equal(plain.Shape, zipped.Shape);
        Assert.Equal(plain.Data, zipped.Data);
        // 16 MiB of zeros compress to ~16 KB (ratio ~1000): legitimate, read in one allocation close to its size
        string path = T.Write(dir, "zeros.gz", Gzip([.. Idx.Header([16, 1024, 1024]), .. new byte[16 << 20]]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        IdxArray zeros = Idx.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(16 << 20, zeros.Data.Length);
        Assert.True(allocated < 3L * (16 << 20), $"allocated {allocated} bytes for 16 MiB");
        output.WriteLine($"16 MiB from a {new FileInfo(path).Length}-byte gzip: allocated {allocated} bytes");
    }

    [Fact]
    public void Data_show_grid_is_bounded_for_huge_images()
    {
        // 10 images of 1500 x 1500 (the 60 KB gzip case): the grid is 64-pixel tiles, not 1500-pixel ones
        var set = new ImageSet("big", new byte[10 * 1500 * 1500], [.. Enumerable.Range(0, 10).Select(i => (byte)i)], 10, 1500, 1500, 10);
        string png = Path.Combine(dir, "grid.png");
        long before = GC.GetAllocatedBytesForCurrentThread();
        DataPlots.Images(set, png);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(File.Exists(png));
        Assert.True(allocated < 64L << 20, $"allocated {allocated} bytes");
        output.WriteLine($"1500x1500 grid: allocated {allocated} bytes");
        Assert.Throws<ArgumentException>(() => DataPlots.Images(set, png, perClass: DataPlots.MaxPerClass + 1));
    }
}
