namespace SpikeInit.Tests;

/// <summary><c>spikeinit export --format nir</c> and <c>spikeinit import</c>: a round trip through the CLI, and one error line for bad input.</summary>
public sealed class NirCliTests() : TempFolderTest("spikeinit-nir-cli-")
{
    [Fact]
    public void Export_then_import_gives_a_model_with_identical_outputs()
    {
        string model = Path.Combine(dir, "run"), nir = Path.Combine(dir, "out", "model.nir"), back = Path.Combine(dir, "back");
        var lif = new LifNeuron(new LifParameters(0.8, 1, LifReset.ZeroBeforeDecay));
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(5).Dense(6, lif).Dense(3, lif).Build(), new Generator(2));
        ModelStore.Save(net, Path.Combine(model, "model"));             // a training run's folder
        var (code, output, err) = CliTests.Run("export", model, "--format", "nir", "--dt", "1e-3", "-o", nir);
        Assert.True(code == 0, err);
        (code, output, err) = CliTests.Run("import", nir, "-o", back);
        Assert.True(code == 0, err);
        using var loaded = ModelStore.Load(back);
        Tensor x = rand([10, 2, 5], generator: new Generator(4)) * 3;
        Assert.Contains("wrote", output + err);
        using var noGrad = no_grad();
        Assert.True(net.Run(x).Output.equal(loaded.Run(x).Output).all().item<bool>());
    }

    public static TheoryData<string, string[]> BadInput => new()
    {
        { "format = onnx is not one of: nir", ["export", "{dir}", "--format", "onnx", "--dt", "1e-3", "-o", "{dir}/m.nir"] },
        { "dt = -1", ["export", "{dir}", "--dt", "-1", "-o", "{dir}/m.nir"] },
        { "must be a .nir file", ["export", "{dir}", "--dt", "1e-3", "-o", "{dir}/m.h5"] },
        { "holds no model.json", ["export", "{dir}/none", "--dt", "1e-3", "-o", "{dir}/m.nir"] },
        { "reset subtract-next-step", ["export", "{dir}", "--dt", "1e-3", "-o", "{dir}/m.nir"] },
        { "not a readable NIR file", ["import", "{dir}/model.json", "-o", "{dir}/x"] },
        { "missing.nir does not exist", ["import", "{dir}/missing.nir", "-o", "{dir}/x"] },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_prints_one_error_line(string message, string[] args)
    {
        using (var net = SpikingNetwork.Create(NetworkSpec.Builder(3).Dense(2, new LifNeuron()).Build()))
            ModelStore.Save(net, dir);                                 // the default LIF resets by subtraction: not exportable
        var (code, _, err) = CliTests.Run([.. args.Select(a => a.Replace("{dir}", dir))]);
        Assert.Equal(2, code);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(message, lines[0], StringComparison.OrdinalIgnoreCase);
    }
}
