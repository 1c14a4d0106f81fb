using System.Text.Json.Nodes;

namespace SpikeInit.Tests;

/// <summary><c>train --initial-membrane stationary</c> saves the start in <c>model.json</c>; rest (the default) saves none.</summary>
public sealed class InitialMembraneCommandTests() : TempFolderTest("spikeinit-cli-mpinit-")
{
    private static readonly string[] Quick = ["--epochs", "1", "--max-batches", "1", "--steps", "3", "--batch", "5", "--limit-train", "10"];

    [Fact]
    public void Train_saves_the_stationary_start_and_a_loaded_model_runs_from_it()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string run = Path.Combine(dir, "run");
        var (code, _, err) = CliTests.Run(["train", "--arch", "hc-recurrent", "--init", "stationary", "--dataset", root, "--out", run,
                                           "--initial-membrane", "stationary", .. Quick]);
        Assert.True(code == 0, err);
        JsonNode start = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "model", "model.json")))!["network"]!["initial_membrane"]!;
        JsonArray layers = start["layers"]!.AsArray();
        Assert.Contains(layers, l => l is not null && l["std"]!.GetValue<double>() > 0);
        using SpikingNetwork model = ModelStore.Load(Path.Combine(run, "model"));
        Assert.True(model.Spec.InitialMembrane!.Any);

        string rest = Path.Combine(dir, "rest");
        (code, _, err) = CliTests.Run(["train", "--arch", "hc-recurrent", "--init", "stationary", "--dataset", root, "--out", rest, .. Quick]);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("initial_membrane", File.ReadAllText(Path.Combine(rest, "model", "model.json")), StringComparison.Ordinal);

        (code, _, err) = CliTests.Run(["train", "--arch", "hc-recurrent", "--dataset", root, "--out", Path.Combine(dir, "bad"), "--initial-membrane", "warm", .. Quick]);
        Assert.Equal(2, code);
        Assert.Contains("initial-membrane", err, StringComparison.Ordinal);
    }
}
