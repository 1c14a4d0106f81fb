using System.Globalization;
using System.Text.Json.Nodes;
using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Probing;
using SpikeInit.Training;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary><c>spikeinit diagnose</c> on known-bad and repaired networks (issue 13, item 5), on a tiny IDX image set written here.</summary>
public sealed class DiagnosisTests(ITestOutputHelper output) : TempFolderTest("spikeinit-diagnose-")
{
    /// <summary>8×8 images of seeded random pixels, 64 for training and 16 for testing, labels 0..9 in turn.</summary>
    private string TinyImages()
    {
        string data = Path.Combine(dir, "tiny");
        Directory.CreateDirectory(data);
        var random = new Random(7);
        byte[] Images(int n) => [.. Enumerable.Range(0, n * 64).Select(_ => (byte)random.Next(256))];
        byte[] Labels(int n) => [.. Enumerable.Range(0, n).Select(i => (byte)(i % 10))];
        Idx.Write(Path.Combine(data, "train-images-idx3-ubyte"), new IdxArray([64, 8, 8], Images(64)));
        Idx.Write(Path.Combine(data, "train-labels-idx1-ubyte"), new IdxArray([64], Labels(64)));
        Idx.Write(Path.Combine(data, "t10k-images-idx3-ubyte"), new IdxArray([16, 8, 8], Images(16)));
        Idx.Write(Path.Combine(data, "t10k-labels-idx1-ubyte"), new IdxArray([16], Labels(16)));
        return data;
    }

    private RunConfiguration Config(string data, string? init, string? calibrate = null) =>
        new() { Architecture = "micheli-mlp", Dataset = data, Init = init, Calibrate = calibrate, Batch = 16, Cache = Path.Combine(dir, "cache") };

    private void Show(DiagnosisResult d)
    {
        foreach (LayerDiagnosis l in d.Layers)
            output.WriteLine($"layer {l.Label}: rate {l.MeanRate:G3}, silent {l.SilentFraction:G3}, saturated {l.SaturatedFraction:G3}, u {l.MembraneMean:G3} ± {l.MembraneStd:G3}, "
                             + $"surrogate {l.SurrogateMean:G3}, grad {l.GradientNorm:G3}");
        output.WriteLine($"first silent {d.FirstSilentLayer}, first spikeless {d.FirstSpikelessLayer}: {d.Recommendation.Text}");
    }

    [Fact]
    public void Kaiming_on_micheli_mlp_names_the_first_silent_layer_and_its_fix_repairs_it()
    {
        string data = TinyImages();
        DiagnosisSetup setup = DiagnosisSetup.Load(Config(data, "kaiming"));
        DiagnosisResult bad = setup.Run();
        Show(bad);
        Assert.Equal(12, bad.Layers.Count);                                   // encoder, 10 hidden LIF layers, LIF readout
        Assert.Equal(16, bad.Batch);
        Assert.Equal(3, bad.Steps);
        int silent = Assert.IsType<int>(bad.FirstSilentLayer);
        // the definition, checked on the numbers: the first hidden layer with ≥ 99 % never-spiking neurons (or no spike)
        Assert.All(bad.Layers.Where(l => l.Layer < silent), l => Assert.True(l.SilentFraction < 0.99 && l.MeanRate > 0));
        Assert.True(bad.Layers[silent].SilentFraction >= 0.99);
        // the same network run again without the diagnosis: the first layer with no spike at all is the one reported spikeless
        using (no_grad())
        {
            NetworkRun run = setup.Network.Run(setup.X, setup.Data.Steps, Recording.Spikes);
            int? spikeless = run.Layers.FirstOrDefault(r => r.Index < 11 && r.Spikes!.sum().item<float>() == 0)?.Index;
            Assert.Equal(spikeless, bad.FirstSpikelessLayer);
        }
        int dead = Assert.IsType<int>(bad.FirstSpikelessLayer);
        Assert.True(dead >= silent);
        // past the first spikeless layer no spikes come in: the next layers' weight gradients are exactly 0, their membranes
        // stay at rest (u = 0, no bias), so their mean surrogate derivative is σ′(0 − θ) exactly
        LifNeuron neuron = new(new LifParameters(0.5, 1.0));
        foreach (LayerDiagnosis l in bad.Layers.Where(l => l.Layer > dead + 1))
        {
            Assert.Equal(0, l.GradientNorm);
            Assert.Equal(0, l.MembraneStd);
            Assert.Equal(neuron.Surrogate.Derivative(-1.0), l.SurrogateMean, 5);
        }
        Recommendation fix = bad.Recommendation;
        Assert.Equal(RecommendationKind.Silent, fix.Kind);
        Assert.Equal(silent, fix.Layer);
        Assert.Equal("--calibrate", fix.Option);
        Assert.StartsWith("rate:", fix.Value, StringComparison.Ordinal);
        Assert.Equal("micheli", fix.AlternativeInit);
        Assert.Contains($"layer {silent} is silent", fix.Text, StringComparison.Ordinal);
        Assert.Contains("kaiming", fix.Text, StringComparison.Ordinal);
        // the target is layer 0's measured rate (to two digits)
        Assert.Equal(double.Parse(bad.Layers[0].MeanRate.ToString("G2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                     double.Parse(fix.Value![5..], CultureInfo.InvariantCulture));

        // applying either fix leaves no silent layer, and gradient reaches every hidden layer
        foreach (RunConfiguration repaired in new[] { Config(data, "kaiming", fix.Value), Config(data, fix.AlternativeInit) })
        {
            DiagnosisResult good = DiagnosisSetup.Load(repaired).Run();
            Show(good);
            Assert.Null(good.FirstSilentLayer);
            Assert.Null(good.FirstSpikelessLayer);
            Assert.Equal(RecommendationKind.Healthy, good.Recommendation.Kind);
            Assert.Null(good.Recommendation.Fix);
            Assert.All(good.Layers.Where(l => l.Hidden && l.Layer > 0), l => Assert.True(l.GradientNorm > 0, $"layer {l.Layer}: no gradient"));
        }
    }

    [Fact]
    public void Too_large_weights_are_saturated_and_the_diagnosis_leaves_the_weights_as_they_were()
    {
        var net = SpikingNetwork.Create(Architectures.DeepDense(50, 100, 3, new LifNeuron(), encoder: false, outputs: 4), new Generator(3));
        NetworkInitializer.Initialize(net, Initializers.Create("kaiming"), InputStatistics.Gaussian(), new Generator(4));
        using (no_grad())
            foreach (var p in net.parameters()) p.mul_(30);
        Tensor[] before = [.. net.parameters().Select(p => p.detach().clone())];
        Tensor x = randn([32, 50], generator: new Generator(5)).abs();
        Tensor y = randint(0, 4, [32], generator: new Generator(6));
        DiagnosisResult d = Diagnosis.Run(net, x, y, 6);
        Show(d);
        Assert.Equal(4, d.Layers.Count);
        Assert.Null(d.FirstSilentLayer);
        Assert.Equal(RecommendationKind.Saturated, d.Recommendation.Kind);
        Assert.True(d.Layers[d.Recommendation.Layer!.Value].SaturatedFraction >= 0.5);
        Assert.Equal("--calibrate", d.Recommendation.Option);
        Assert.Null(d.Recommendation.AlternativeInit);                  // nothing known about the network's initialization
        Assert.All(net.parameters().Zip(before), p => Assert.True(p.First.detach().equal(p.Second).all().item<bool>()));
        Assert.All(net.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        // with saturation not counted, the same membranes far from θ are a vanishing surrogate derivative
        DiagnosisResult vanishing = Diagnosis.Run(net, x, y, 6, new DiagnosisOptions { SaturatedThreshold = 1, VanishingSurrogate = 0.05 });
        LayerDiagnosis far = vanishing.Layers[vanishing.Recommendation.Layer!.Value];
        Assert.Equal(RecommendationKind.VanishingSurrogate, vanishing.Recommendation.Kind);
        Assert.True(far.SurrogateMean < 0.05 * far.SurrogatePeak);
        Assert.Contains("wider surrogate", vanishing.Recommendation.Text, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => Diagnosis.Run(net, x, randint(4, 6, [32]), 6));     // labels beyond the outputs
        Assert.ThrowsAny<ArgumentException>(() => Diagnosis.Run(net, x, y.narrow(0, 0, 5), 6));       // labels of another batch
    }

    [Fact]
    public void Cli_prints_json_per_layer_and_a_summary_writes_a_report_and_reads_saved_models()
    {
        string data = TinyImages();
        string[] common = ["diagnose", "--arch", "micheli-mlp", "--dataset", data, "--batch", "16", "--cache", Path.Combine(dir, "cache")];
        var (code, text, err) = CliTests.Run([.. common, "--init", "kaiming", "--json", "--out", Path.Combine(dir, "report")]);
        Assert.True(code == 0, err);
        JsonObject[] lines = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
        Assert.Equal(13, lines.Length);                                   // 12 layers + the summary
        Assert.Equal(Enumerable.Range(0, 12), lines[..12].Select(o => (int)o["layer"]!));
        foreach (string key in new[] { "layer", "firing_rate", "silent_fraction", "surrogate_mean", "grad_norm" })
            Assert.All(lines[..12], o => Assert.True(o.ContainsKey(key), key));
        JsonObject summary = lines[12];
        int silent = (int)summary["first_silent_layer"]!;
        Assert.Equal(1.0, (double)lines[silent]["silent_fraction"]!, 0.01);
        string fix = (string)summary["recommendation"]!["fix"]!;
        Assert.StartsWith("--calibrate rate:", fix, StringComparison.Ordinal);
        foreach (string file in new[] { "report.html", "diagnosis.json", "rate_over_time.png", "silent_fraction.svg", "gradients.png" })
            Assert.True(File.Exists(Path.Combine(dir, "report", file)), file);
        Assert.Equal(silent, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report", "diagnosis.json")))!["summary"]!["first_silent_layer"]!);

        // the recommended fix, applied on the command line
        (code, text, err) = CliTests.Run([.. common, "--init", "kaiming", "--json", .. fix.Split(' ')]);
        Assert.True(code == 0, err);
        JsonNode after = JsonNode.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!;
        Assert.Null(after["first_silent_layer"]);
        Assert.Equal("healthy", (string)after["recommendation"]!["kind"]!);

        // a saved model: the same numbers as the network it was saved from; the table names the first silent layer
        PreparedRun run = PreparedRun.Prepare(Config(data, "kaiming"));
        ModelStore.Save(run.Network, Path.Combine(dir, "model"));
        (code, text, err) = CliTests.Run([.. common, "--model", Path.Combine(dir, "model"), "--json"]);
        Assert.True(code == 0, err);
        JsonObject[] saved = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
        Assert.Equal(13, saved.Length);
        Assert.Equal(silent, (int)saved[12]["first_silent_layer"]!);
        for (int l = 0; l < 12; l++) Assert.Equal((double?)lines[l]["firing_rate"], (double?)saved[l]["firing_rate"]);
        (code, text, err) = CliTests.Run([.. common, "--model", Path.Combine(dir, "model")]);
        Assert.True(code == 0, err);
        Assert.Contains($"first silent layer: {silent}", text, StringComparison.Ordinal);
        Assert.Contains("--calibrate rate:", text, StringComparison.Ordinal);

        // bad input: one clear error line each
        (code, _, err) = CliTests.Run("diagnose", "--model", Path.Combine(dir, "model"), "--arch", "micheli-mlp");
        Assert.Equal(2, code);
        Assert.Contains("--dataset", err, StringComparison.Ordinal);
        (code, _, err) = CliTests.Run("diagnose", "--arch", "no-such-arch", "--dataset", data);
        Assert.Equal(2, code);
        Assert.Contains("no-such-arch", err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Throws<ArgumentException>(() => DiagnosisSetup.Load(Config(data, null) with { Dataset = null }, Path.Combine(dir, "model")));
        Assert.Throws<ArgumentException>(() => DiagnosisSetup.Load(Config(data, "kaiming"), Path.Combine(dir, "model")));   // --init with --model
        Assert.ThrowsAny<ArgumentException>(() => DiagnosisSetup.Load(Config(data, null) with { Architecture = "no-such-arch" }));
    }
}
