using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>
/// Issue 13's done-when for the stability method: <c>train --arch hc-recurrent</c> saves a model whose recurrent layers'
/// surrogates carry the γ and β that <c>init --method stability --recurrent</c> recommends for each layer's context.
/// </summary>
public sealed class StabilitySurrogateCommandTests() : TempFolderTest("spikeinit-cli-stability-")
{
    private static readonly string[] Quick = ["--epochs", "1", "--max-batches", "1", "--steps", "3", "--batch", "5", "--limit-train", "10"];

    private static string G(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void Train_hc_recurrent_saves_the_surrogates_that_init_stability_recommends()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string run = Path.Combine(dir, "run");
        var (code, output, err) = CliTests.Run(["train", "--arch", "hc-recurrent", "--dataset", root, "--out", run, .. Quick]);
        Assert.True(code == 0, err);
        using SpikingNetwork model = ModelStore.Load(Path.Combine(run, "model"));
        NetworkSpec saved = model.Spec;

        // the expectation through the library: the preset's own network, neuron and input statistics for this data
        TrainingPreset preset = TrainingPresets.Get("hc-recurrent");
        ITrainingData data = PreparedRun.LoadData(preset, new RunConfiguration { Architecture = "hc-recurrent", Dataset = root, Steps = 3, Batch = 5, LimitTrain = 10 },
                                                  new DataCatalog());
        NetworkSpec original = preset.Network(data, null);
        InputStatistics x = preset.InputStatistics(data);
        long fanIn = original.InputShape[0];
        var recurrentLayers = original.Layers.Select((l, i) => (Layer: l as RecurrentLayer, Index: i)).Where(p => p.Layer is not null).ToList();
        Assert.Equal(2, recurrentLayers.Count);
        JsonArray manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!["surrogates"]!.AsArray();
        Assert.Equal(2, manifest.Count);
        foreach (var (layer, index) in recurrentLayers)
        {
            LayerPlan plan = Initializers.Create("stability").Plan(InitContext.Recurrent((int)fanIn, layer!.Units, layer.Neuron, x));
            var expected = Assert.IsType<NormalizedSurrogate>(plan.Surrogate);
            var actual = Assert.IsType<NormalizedSurrogate>(((RecurrentLayer)saved.Layers[index]).Neuron.Surrogate);
            Assert.Equal(expected, actual);
            Assert.NotEqual(layer.Neuron.Surrogate, actual);  // the preset's default surrogate was replaced
            Assert.Equal(plan.Theory.SurrogateDampening, actual.Dampening);
            Assert.Equal(plan.Theory.SurrogateSharpness, actual.Sharpness);
            Assert.Contains($"layer {index}: surrogate {expected.Name} applied (was {layer.Neuron.Surrogate.Name})", output, StringComparison.Ordinal);
            JsonNode entry = manifest.Single(m => m!["layer"]!.GetValue<int>() == index)!;
            Assert.Equal(expected.Name, entry["surrogate"]!.GetValue<string>());
            Assert.True(entry["applied"]!.GetValue<bool>());
            // the same numbers from the command line: init --method stability --recurrent --json for this layer's context
            var neuron = (LifNeuron)layer.Neuron;
            (code, string json, err) = CliTests.Run("init", "--method", "stability", "--recurrent", "--json", "--fan-in", G(fanIn), "--fan-out", G(layer.Units),
                                                    "--neuron", "lif", "--beta", G(neuron.Parameters.Beta), "--theta", G(neuron.Threshold),
                                                    "--reset", EnumNames.Of(neuron.Parameters.Reset),
                                                    "--surrogate", EnumNames.Of(((NormalizedSurrogate)neuron.Surrogate).Shape), "--firing-probability", G(x.Mean));
            Assert.True(code == 0, err);
            JsonNode theory = JsonNode.Parse(json.Trim())!["theory"]!;
            Assert.Equal(theory["surrogate_dampening"]!.GetValue<double>(), actual.Dampening);
            Assert.Equal(theory["surrogate_sharpness"]!.GetValue<double>(), actual.Sharpness);
            x = plan.Theory.Output;
            fanIn = layer.Units;
        }
    }

    [Fact]
    public void Keep_surrogate_trains_with_the_presets_surrogate_and_says_so()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string run = Path.Combine(dir, "run");
        var (code, output, err) = CliTests.Run(["train", "--arch", "hc-recurrent", "--dataset", root, "--out", run, "--keep-surrogate", .. Quick]);
        Assert.True(code == 0, err);
        using SpikingNetwork model = ModelStore.Load(Path.Combine(run, "model"));
        NetworkSpec saved = model.Spec;
        Surrogate preset = ((RecurrentLayer)Architectures.ShallowRecurrent(10, 4, 2).Layers[0]).Neuron.Surrogate;
        Assert.All(saved.Layers.OfType<RecurrentLayer>(), l => Assert.Equal(preset, l.Neuron.Surrogate));
        Assert.Contains($"layer 0: surrogate ", output, StringComparison.Ordinal);
        Assert.Contains($" recommended, kept {preset.Name}", output, StringComparison.Ordinal);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.True(manifest.RootElement.GetProperty("keep_surrogates").GetBoolean());
        Assert.False(manifest.RootElement.GetProperty("surrogates")[0].GetProperty("applied").GetBoolean());
    }
}
