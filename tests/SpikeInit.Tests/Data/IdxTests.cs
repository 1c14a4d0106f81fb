using System.IO.Compression;
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
