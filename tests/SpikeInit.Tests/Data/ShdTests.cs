using SpikeInit.Data;

namespace SpikeInit.Tests;

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
