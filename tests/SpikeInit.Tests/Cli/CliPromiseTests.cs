using Spectre.Console.Testing;
using SpikeInit.Cli;

namespace SpikeInit.Tests;

/// <summary>Issue 14 items 4, 6, 7 in process: parse errors, options that do not apply, rate units, threads, presets' data, --json/--quiet.</summary>
public sealed class CliPromiseTests() : TempFolderTest("spikeinit-cli-promise-")
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private static string OneError((int Code, string Out, string Err) r)
    {
        Assert.Equal(2, r.Code);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.StartsWith("error: ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", r.Err, StringComparison.Ordinal);
        return r.Err;
    }

    [Theory]
    [InlineData("--depth = 'abc' is not an integer", "demo", "--depth", "abc")]
    [InlineData("--weight-std = 'x' is not a number", "demo", "--weight-std", "x")]
    [InlineData("--firing-probability = 'high' is not a number", "init", "--firing-probability", "high")]
    [InlineData("unknown option --dpeth; did you mean --depth?", "demo", "--dpeth", "3")]
    public void Parse_errors_are_one_line_naming_the_option_and_its_type_with_exit_2(string message, params string[] args)
    {
        string err = OneError(Run(args));
        Assert.Contains(message, err);
        Assert.Contains($"(see spikeinit {args[0]} --help)", err);
    }

    [Fact]
    public void Usage_says_spikeinit()
    {
        var (code, output, _) = Run("demo", "--help");
        Assert.Equal(0, code);
        Assert.Contains("spikeinit demo [options]", output);
        Assert.DoesNotContain("SpikeInit.Cli", output);
    }

    [Fact]
    public void A_method_picks_its_papers_neuron_unless_neuron_says_otherwise_and_says_so()
    {
        var (code, output, err) = Run("init", "--method", "asymptote", "--k", "0.7", "--lambda", "0.3", "--fan-in", "100");
        Assert.True(code == 0, err);
        Assert.Contains("neuron klambda: the neuron of asymptote's paper", output);
        Assert.Contains("k/lambda IF(k=0.7, lambda=0.3", output);
        (code, output, err) = Run("init", "--method", "fluctuation", "--tau-mem", "0.01", "--rate", "30", "--fan-in", "100");
        Assert.True(code == 0, err);
        Assert.Contains("neuron cuba-lif", output);
        Assert.Contains("tau_mem=0.01s", output);
        Assert.Contains("p = 0.06 per step", output);   // 30 Hz * 2 ms
        (code, output, err) = Run("init", "--method", "asymptote", "--neuron", "lif", "--beta", "0.9");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("paper", output.Split('\n')[0]);
        Assert.Contains("LIF(beta=0.9", output);
    }

    [Theory]
    [InlineData("--k does not apply to neuron lif (takes --theta, --beta, --reset) or method micheli (takes --probability, --output-variance)",
                "init", "--neuron", "lif", "--k", "0.7", "--method", "micheli")]
    [InlineData("--tau-mem does not apply to neuron klambda", "init", "--method", "asymptote", "--tau-mem", "0.01")]
    [InlineData("--sigma-u does not apply to neuron lif", "init", "--method", "kaiming", "--sigma-u", "0.5")]
    public void Options_that_the_chosen_neuron_and_methods_do_not_read_are_errors_naming_both(string message, params string[] args) =>
        Assert.Contains(message, OneError(Run(args)));

    [Fact]
    public void Rates_are_checked_in_the_unit_of_the_chosen_neuron()
    {
        Assert.Contains("rate = 30 is outside (0, 1)", OneError(Run("init", "--method", "micheli", "--rate", "30")));
        Assert.Contains("spikes per step", OneError(Run("init", "--neuron", "klambda", "--method", "asymptote", "--rate", "1.5")));
        Assert.Contains("Hz with dt = 0.002 s", OneError(Run("init", "--method", "fluctuation", "--rate", "600")));
        var (code, output, err) = Run("init", "--method", "micheli", "--rate", "0.2", "--json");
        Assert.True(code == 0, err);
        Assert.Contains("weight_std", output);
    }

    [Fact]
    public void Probe_refuses_quick_without_a_preset_and_sweep_options_with_one()
    {
        string o = Path.Combine(dir, "p");
        Assert.Contains("--quick applies only with --preset", OneError(Run("probe", "--quick", "--out", o)));
        Assert.Contains("--theta does not apply to --preset micheli-depth", OneError(Run("probe", "--preset", "micheli-depth", "--quick", "--theta", "0.5", "--out", o)));
        Assert.Contains("--neuron does not apply to --preset", OneError(Run("probe", "--preset", "ding-rates", "--neuron", "lif", "--out", o)));
        Assert.False(Directory.Exists(o));
    }

    [Fact]
    public void Threads_beyond_the_logical_cores_are_an_error() =>
        Assert.Contains($"threads = 10000 is more than the {Environment.ProcessorCount} logical cores", OneError(Run("info", "--threads", "10000")));

    [Fact]
    public void Image_presets_default_to_an_image_set_on_this_machine()
    {
        string empty = Path.Combine(dir, "empty-cache");
        foreach (string arch in new[] { "micheli-mlp", "ding-conv", "hc-recurrent" })
        {
            var preset = SpikeInit.Training.TrainingPresets.Get(arch);
            var catalog = new SpikeInit.Data.DataCatalog(empty);
            if (catalog.Resolve("fashion-mnist").Available) Assert.Equal("fashion-mnist", preset.DefaultDataset(catalog));
            string message = Assert.Throws<ArgumentException>(() => (preset with { Alternatives = [] }).DefaultDataset(catalog)).Message;
            Assert.Contains("spikeinit data fetch mnist", message);
        }
        if (!new SpikeInit.Data.DataCatalog(empty).Resolve("fashion-mnist").Available) return;   // dataset-fashion-mnist not installed
        var (code, output, err) = Run("diagnose", "--arch", "micheli-mlp", "--cache", empty, "--batch", "4", "--depth", "2", "--limit-train", "50");
        Assert.True(code == 0, err);
        Assert.Contains("fashion-mnist", output);
    }

    [Fact]
    public void A_missing_dataset_folder_is_reported_as_missing()
    {
        string missing = Path.Combine(dir, "no-such-folder");
        string err = OneError(Run("train", "--dataset", missing, "--out", Path.Combine(dir, "run")));
        Assert.Contains($"dataset folder {missing} does not exist", err);
        Assert.False(Directory.Exists(Path.Combine(dir, "run")));
    }

    [Fact]
    public void Json_and_quiet_print_results_only()
    {
        var (code, output, err) = Run("info", "--json", "--threads", "1");
        Assert.True(code == 0, err);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"item\":\"threads\",\"value\":1", StringComparison.Ordinal));
        foreach (string line in lines) System.Text.Json.JsonDocument.Parse(line).Dispose();
        (code, output, err) = Run("demo", "--depth", "2", "--width", "16", "--steps", "3", "--batch", "2", "--json");
        Assert.True(code == 0, err);
        lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using (var row = System.Text.Json.JsonDocument.Parse(lines[2])) Assert.Equal(2, row.RootElement.GetProperty("layer").GetInt32());
        foreach (bool quiet in new[] { false, true })
        {
            var console = new TestConsole().Width(200);
            var progress = new TestConsole().Width(200);
            string[] args = ["train", "--epochs", "1", "--max-batches", "1", "--out", Path.Combine(dir, $"q{quiet}"), .. quiet ? new[] { "--quiet" } : []];
            var parse = CliApp.CreateRoot(console, progress).Parse(args);
            parse.InvocationConfiguration.Error = new StringWriter();
            Assert.Equal(0, CliApp.Invoke(parse));
            Assert.Contains("test accuracy", console.Output);
            Assert.DoesNotContain("running acc.", console.Output);           // progress never goes to the results
            if (quiet) Assert.Equal("", progress.Output);                   // no progress, no notes
        }
    }
}
