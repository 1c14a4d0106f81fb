using SpikeInit.Data;

namespace SpikeInit.Tests;

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
