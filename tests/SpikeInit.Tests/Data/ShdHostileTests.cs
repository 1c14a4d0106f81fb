using System.Diagnostics;
using SpikeInit.Data;

namespace SpikeInit.Tests;

/// <summary>
/// Hostile SHD/SSC files: every dtype h5py writes is converted by value, and every malformed file gives one
/// <see cref="InvalidDataException"/> (or <see cref="FileNotFoundException"/>) naming the file, within 10 s and 64 MB
/// of allocation (the CLI maps both to one error line and exit 2).
/// </summary>
public sealed class ShdHostileTests() : TempFolderTest("spikeinit-shd-hostile-")
{
    private const long AllocationCap = 64L << 20;
    private static readonly TimeSpan TimeCap = TimeSpan.FromSeconds(10);

    private string Write(string name, Array times, Array units, Array labels)
    {
        string path = Path.Combine(dir, name);
        new PureHDF.H5File { ["spikes"] = new PureHDF.H5Group { ["times"] = times, ["units"] = units }, ["labels"] = labels }.Write(path);
        return path;
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>One case of each integer width and sign for units and labels, and each float width for times.</summary>
    public static TheoryData<string> Dtypes() => new() { "f16/u8/i8", "f32/i8/u16", "f64/i16/i16", "f16/u16/u32", "f32/i32/i32", "f64/u32/i64", "f32/i64/u64", "f64/u64/u8" };

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Every_dtype_is_converted_by_value(string dtypes)
    {
        string[] d = dtypes.Split('/');
        double[][] t = [[0.1234, 0.011], [0.5]];
        long[][] u = [[3, 120], [7]];
        long[] l = [1, 2];
        Array times = d[0] switch
        {
            "f16" => t.Select(r => r.Select(x => (Half)x).ToArray()).ToArray(),
            "f32" => t.Select(r => r.Select(x => (float)x).ToArray()).ToArray(),
            _ => t,
        };
        string path = Write("dtype.h5", times, Integers(d[1], u), Integers(d[2], l));
        SpikeSet s = Shd.Load(path);
        Assert.Equal([1, 2], s.Labels);
        Assert.Equal(3, s.Classes);
        Assert.Equal(1, s.Rasters[0][61 * 700 + 3]);      // 0.1234 s → bin 61, unit 3
        Assert.Equal(1, s.Rasters[0][5 * 700 + 120]);     // 0.011 s → bin 5 (4 in float16: 0.010994), unit 120
        Assert.Equal(1, s.Rasters[1][250 * 700 + 7]);
    }

    private static Array Integers(string dtype, long[][] rows) => dtype switch
    {
        "u8" => rows.Select(r => r.Select(v => (byte)v).ToArray()).ToArray(),
        "i8" => rows.Select(r => r.Select(v => (sbyte)v).ToArray()).ToArray(),
        "u16" => rows.Select(r => r.Select(v => (ushort)v).ToArray()).ToArray(),
        "i16" => rows.Select(r => r.Select(v => (short)v).ToArray()).ToArray(),
        "u32" => rows.Select(r => r.Select(v => (uint)v).ToArray()).ToArray(),
        "i32" => rows.Select(r => r.Select(v => (int)v).ToArray()).ToArray(),
        "u64" => rows.Select(r => r.Select(v => (ulong)v).ToArray()).ToArray(),
        _ => rows,
    };

    private static Array Integers(string dtype, long[] values) => dtype switch
    {
        "u8" => values.Select(v => (byte)v).ToArray(),
        "i8" => values.Select(v => (sbyte)v).ToArray(),
        "u16" => values.Select(v => (ushort)v).ToArray(),
        "i16" => values.Select(v => (short)v).ToArray(),
        "u32" => values.Select(v => (uint)v).ToArray(),
        "i32" => values.Select(v => (int)v).ToArray(),
        "u64" => values.Select(v => (ulong)v).ToArray(),
        _ => values,
    };

    [Fact]
    public void A_sample_without_spikes_is_a_silent_recording()
    {
        string path = Write("silent.h5", new[] { new[] { 0.1f }, Array.Empty<float>() }, new[] { new ushort[] { 1 }, Array.Empty<ushort>() }, new byte[] { 0, 1 });
        SpikeSet s = Shd.Load(path);
        Assert.Equal(0, s.Rasters[1].Sum(b => b));
        Assert.Equal(1, s.Rasters[0].Sum(b => b));
    }

    /// <summary>The malformations, each with the words its error must contain.</summary>
    public static TheoryData<string, string> Hostile() => new()
    {
        { "label -1 (int8)", "label -1 of sample 1" },
        { "label 2^63 (uint64)", "of sample 0 is outside" },
        { "negative unit (int16)", "unit -5" },
        { "negative time", "time -0.5" },
        { "infinite time (float64)", "time Infinity s" },
        { "integer times", "expected float16, float32 or float64" },
        { "labels as 2-D", "expected one row per sample" },
        { "labels not a number", "expected integers" },
        { "no spikes group", "no dataset 'spikes/times'" },
        { "external link", "external link" },
        { "soft-link loop", "looping" },
        { "claims 10^9 rows", "claims 1000000000 rows" },
        { "row length 2^31 (h5py)", "spikes/times: row 0 claims 2147483648 elements of 2 bytes but its heap object holds 6 bytes" },
        { "row without its heap object (h5py)", "spikes/units: row 0 claims 3 elements but references no heap object" },
        { "chunked rows (h5py)", "h5repack" },
        { "local heap of 10^9 bytes (h5py)", "the local heap at byte 680 claims 1000000000 bytes of names" },
        { "FIFO", "FIFO" },
        { "device", "character device" },
        { "folder", "is a folder" },
        { "over the memory budget", "memory budget" },
        { "no samples", "no samples" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hostile_files_give_one_clear_error_quickly_and_in_bounded_memory(string kind, string words)
    {
        if (kind is "FIFO" or "device" && OperatingSystem.IsWindows()) return;
        long? budget = null;
        string path = Path.Combine(dir, "hostile.h5");
        switch (kind)
        {
            case "label -1 (int8)": Write("hostile.h5", new[] { new[] { 0.1f }, new[] { 0.2f } }, new[] { new ushort[] { 1 }, new ushort[] { 2 } }, new sbyte[] { 0, -1 }); break;
            case "label 2^63 (uint64)": Write("hostile.h5", new[] { new[] { 0.1f } }, new[] { new ushort[] { 1 } }, new ulong[] { 1UL << 63 }); break;
            case "negative unit (int16)": Write("hostile.h5", new[] { new[] { 0.1f } }, new[] { new short[] { -5 } }, new byte[] { 0 }); break;
            case "negative time": Write("hostile.h5", new[] { new[] { -0.5f } }, new[] { new ushort[] { 1 } }, new byte[] { 0 }); break;
            case "infinite time (float64)": Write("hostile.h5", new[] { new[] { double.PositiveInfinity } }, new[] { new ushort[] { 1 } }, new byte[] { 0 }); break;
            case "integer times": Write("hostile.h5", new[] { new[] { 1 } }, new[] { new ushort[] { 1 } }, new byte[] { 0 }); break;
            case "labels as 2-D": Write("hostile.h5", new[] { new[] { 0.1f } }, new[] { new ushort[] { 1 } }, new byte[,] { { 0 } }); break;
            case "labels not a number": Write("hostile.h5", new[] { new[] { 0.1f } }, new[] { new ushort[] { 1 } }, new[] { "zero" }); break;
            case "no spikes group": new PureHDF.H5File { ["labels"] = new byte[] { 0 } }.Write(path); break;
            case "external link": path = Fixture("shd_external_link.h5"); break;
            case "soft-link loop": path = Fixture("shd_soft_link_loop.h5"); break;
            case "claims 10^9 rows": path = Fixture("shd_claims_1e9_rows.h5"); break;
            case "row length 2^31 (h5py)": Patch(path, TimesDescriptor, 3, 1u << 31); break;
            case "row without its heap object (h5py)": Patch(path, UnitsDescriptor + 12, 4, 999); break;
            case "local heap of 10^9 bytes (h5py)": Patch(path, RootHeapSize, 88, 1_000_000_000); break;
            case "chunked rows (h5py)": path = Fixture("shd_h5py_chunked.h5"); break;
            case "FIFO": Process.Start("mkfifo", path)!.WaitForExit(); break;
            case "device": path = "/dev/zero"; break;
            case "folder": path = dir; break;
            case "over the memory budget": Write("hostile.h5", new[] { new[] { 0.1f } }, new[] { new ushort[] { 1 } }, new byte[] { 0 }); budget = 1000; break;
            default: Write("hostile.h5", Array.Empty<float[]>(), Array.Empty<ushort[]>(), Array.Empty<byte>()); break;
        }
        var clock = Stopwatch.StartNew();
        var (e, allocated) = await Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Exception? thrown = Record.Exception(() => Shd.Load(path, maxBytes: budget));
            return (thrown, GC.GetAllocatedBytesForCurrentThread() - before);
        }).WaitAsync(TimeCap);
        Assert.True(e is InvalidDataException or FileNotFoundException, $"{kind}: {e}");
        Assert.StartsWith(path, e!.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Contains(words, StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(clock.Elapsed < TimeCap);
        Assert.True(allocated < AllocationCap, $"{kind}: allocated {allocated} bytes");
    }

    // Where make_shd.py's h5py wrote the row descriptors (count, heap collection, object index) of shd_h5py_layout.h5, and
    // the root group's local heap ("HEAP" at 680) its name segment size.
    private const int TimesDescriptor = 2432, UnitsDescriptor = 8640, RootHeapSize = 688;

    /// <summary>shd_h5py_layout.h5 with the 4-byte field at <paramref name="at"/> (which holds <paramref name="was"/>) replaced.</summary>
    private static void Patch(string path, int at, uint was, uint value)
    {
        byte[] bytes = File.ReadAllBytes(Fixture("shd_h5py_layout.h5"));
        Assert.Equal(was, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void The_published_layout_as_h5py_writes_it_is_read_by_value()
    {
        // float16 times, uint16 units and labels, an 'extra' group and an empty row, as in shd_train.h5 (make_shd.py)
        SpikeSet s = Shd.Load(Fixture("shd_h5py_layout.h5"), steps: 300, dt: 2e-3);
        Assert.Equal([0, 3, 1, 2], s.Labels);
        Assert.Equal([3, 0, 1, 2], s.Rasters.Select(r => r.Sum(b => b)));
        Assert.Equal(1, s.Rasters[0][5 * 700 + 1]);                // 0.01 s -> bin 5, unit 1
        Assert.Equal(1, s.Rasters[3][150 * 700 + 699]);            // 0.3 s is 0.30005 in float16 -> bin 150, unit 699
    }

    [Fact]
    public async Task Idx_and_nmnist_readers_refuse_fifos_and_devices_before_opening()
    {
        if (OperatingSystem.IsWindows()) return;
        string fifo = Path.Combine(dir, "images.idx");
        Process.Start("mkfifo", fifo)!.WaitForExit();
        foreach (Action read in new Action[] { () => Idx.Read(fifo), () => NMnist.Read(fifo), () => Idx.Read("/dev/zero"), () => NMnist.Read("/dev/zero") })
        {
            Exception? e = await Task.Run(() => Record.Exception(read)).WaitAsync(TimeCap);   // a blocked reader times out
            Assert.IsType<InvalidDataException>(e);
            Assert.Contains("not a regular data file", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_link_name_claiming_a_gigabyte_is_refused_before_allocation()
    {
        // fuzzing finding: PureHDF allocated the name length a link message claims (up to 1.7 GB from a 6 KB file)
        string path = Write("link.h5", new[] { new[] { 0.1f } }, new[] { new ushort[] { 1 } }, new byte[] { 0 });
        byte[] bytes = File.ReadAllBytes(path);
        int name = bytes.AsSpan().IndexOf("spikes"u8);
        Assert.Equal(6u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(name - 4)));   // PureHDF: 4-byte name length
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(name - 4), 1u << 30);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Shd.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationCap);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("claims a name of 1073741824 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_global_heap_claiming_a_gigabyte_is_refused_before_allocation()
    {
        // fuzzing finding: PureHDF allocated the size a global heap collection claims (1 GiB from a 2 KB file) before reading
        string path = Write("heap.h5", new[] { new[] { 0.1f, 0.2f } }, new[] { new ushort[] { 1, 2 } }, new byte[] { 0 });
        byte[] bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf("GCOL"u8);
        Assert.True(at >= 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 8), 1UL << 30);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Shd.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationCap);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains($"global heap collection at byte {at} claims 1073741824 bytes", e.Message, StringComparison.Ordinal);
    }
}
