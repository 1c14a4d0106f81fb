using SpikeInit.Interop;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Byte-level hostile NIR files: each gives one <see cref="InvalidDataException"/> or <see cref="FileNotFoundException"/>
/// naming the file, within <see cref="HostileCases.TimeCap"/> and 64 MB of allocation, before any network is built.
/// </summary>
public sealed class NirHostileTests(ITestOutputHelper output) : TempFolderTest("spikeinit-nir-hostile-")
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private string Valid()
    {
        string path = Path.Combine(dir, "valid.nir");
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(40).Dense(30, new LifNeuron(new LifParameters(0.9, 1, LifReset.ZeroBeforeDecay))).Build());
        Nir.Export(net, 1e-3, path);
        return path;
    }

    private string Bytes(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Hostile_files_give_one_clear_error_quickly_and_in_bounded_memory()
    {
        byte[] valid = File.ReadAllBytes(Valid());
        string huge = Path.Combine(dir, "huge.nir");                    // Input's shape claims 2^40 values: dims patched in the dataspace
        var input = new PureHDF.H5Group { ["type"] = "Input", ["shape"] = new long[7777] };
        new PureHDF.H5File { ["version"] = "1.0.7", ["node"] = new PureHDF.H5Group { ["type"] = "NIRGraph", ["nodes"] = new PureHDF.H5Group { ["input"] = input }, ["edges"] = new[] { "input", "input" } } }.Write(huge);
        byte[] bytes = File.ReadAllBytes(huge), claim = BitConverter.GetBytes(7777L);
        int patched = 0;
        for (int i = 0; i + 8 <= bytes.Length; i++)
            if (bytes.AsSpan(i, 8).SequenceEqual(claim)) { BitConverter.GetBytes(1L << 40).CopyTo(bytes, i); patched++; }
        Assert.InRange(patched, 1, 2);                                // the dimension (and its maximum)
        File.WriteAllBytes(huge, bytes);
        string truncated = Bytes("truncated.nir", valid[..(valid.Length / 2)]), text = Bytes("text.nir", "not an HDF5 file"u8.ToArray());
        string folder = Directory.CreateDirectory(Path.Combine(dir, "folder.nir")).FullName, missing = Path.Combine(dir, "missing.nir");
        HostileCase Case(string kind, string path, string words) => new(kind, path, words, () => Nir.Import(path, 1e-3).Dispose());
        await HostileCases.Check(
        [
            Case("truncated", truncated, "not a readable NIR file"),
            Case("not HDF5", text, "not a readable NIR file"),
            Case("a dataset claiming 2^40 values", huge, "claims more than 268435456 values"),
            Case("external link", Fixture("shd_external_link.h5"), "external link"),
            Case("soft-link loop", Fixture("shd_soft_link_loop.h5"), "NIR"),
            Case("an SHD file", Fixture("shd_h5py_layout.h5"), "no 'version' dataset: not a NIR file"),
            Case("folder", folder, "is a folder"),
            Case("missing", missing, "does not exist"),
        ], 64L << 20, output);
    }
}
