using Spectre.Console;
using Spectre.Console.Testing;
using SpikeInit.Cli;

namespace SpikeInit.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"spikeinit-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var console = new TestConsole().Width(200);
        var err = new StringWriter();
        var parse = CliApp.CreateRoot(console, new TestConsole()).Parse(args);
        parse.InvocationConfiguration.Error = err;
        parse.InvocationConfiguration.Output = new StringWriter();
        int code = CliApp.Invoke(parse);
        return (code, console.Output + parse.InvocationConfiguration.Output, err.ToString());
    }

    [Fact]
    public void Info_prints_versions_and_threads()
    {
        var (code, output, _) = Run("info", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains("TorchSharp", output);
        Assert.Contains("0.107.0", output);
        Assert.Contains("2.10.0", output);
        Assert.Matches(@"threads\s+│\s+1", output);
    }

    [Fact]
    public void Init_all_prints_a_table_with_every_method()
    {
        var (code, output, err) = Run("init", "--fan-in", "1000", "--theta", "1");
        Assert.True(code == 0, err);
        foreach (string name in SpikeInit.Initialization.Initializers.Names) Assert.Contains(name, output);
        Assert.Contains("0.07939", output); // Micheli std at n = 1000, θ = 1 (docs/THEORY.md §M-C1)
    }

    [Fact]
    public void Init_json_has_one_object_per_method_with_the_documented_keys()
    {
        var (code, output, err) = Run("init", "--method", "all", "--json", "--neuron", "cuba", "--rate", "15.8", "--fan-in", "700");
        Assert.True(code == 0, err);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(SpikeInit.Initialization.Initializers.Names.Count, lines.Length);
        foreach (string line in lines)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            var root = doc.RootElement;
            string method = root.GetProperty("method").GetString()!;
            if (root.TryGetProperty("error", out var error))
            {
                // the k/λ init, the LIF stability conditions and the discrete mean field over time do not apply to current-based neurons
                Assert.Contains(method, new[] { "asymptote", "stability", "stationary" });
                Assert.Contains(method switch { "asymptote" => "k/lambda", "stationary" => "discrete LIF-family", _ => "LIF neurons" }, error.GetString()!);
                continue;
            }
            foreach (string key in new[] { "weight_mean", "weight_std", "bias" }) Assert.True(double.IsFinite(root.GetProperty(key).GetDouble()), key);
            var theory = root.GetProperty("theory");
            foreach (string key in new[] { "input_variance", "membrane_mean", "membrane_std", "firing_probability" }) Assert.True(theory.TryGetProperty(key, out _), key);
            if (method == "fluctuation") Assert.Equal(0.210754, root.GetProperty("weight_std").GetDouble(), 6);
        }
    }

    [Fact]
    public void Init_reports_infeasible_and_invalid_parameters_in_one_line()
    {
        var (code, _, err) = Run("init", "--method", "fluctuation", "--neuron", "cuba", "--rate", "10", "--fan-in", "5", "--mu-u", "0.5", "--xi", "2", "--epsilon", "analytical");
        Assert.Equal(2, code);
        Assert.Contains("critical n*nu = 66.6667", err);
        Assert.Single(err.Trim().Split('\n'));
        (code, _, err) = Run("init", "--method", "micheli", "--theta", "-1");
        Assert.Equal(2, code);
        Assert.Contains("theta = -1 is outside the valid range", err);
        (code, _, err) = Run("init", "--method", "nope");
        Assert.Equal(2, code);
        Assert.Contains("unknown initialization method 'nope'", err);
        (code, _, err) = Run("init", "--method", "stability", "--recurrent", "--reset", "subtract-before-decay");
        Assert.Equal(2, code);
        Assert.Contains("minus-, pre- and post-reset", err);
    }

    [Fact]
    public void Init_stability_reports_the_surrogate_choice_and_help_documents_units()
    {
        var (code, output, err) = Run("init", "--method", "stability", "--recurrent", "--fan-in", "700", "--fan-out", "256", "--beta", "0.9",
                                      "--input", "gaussian", "--input-mean", "0.5", "--input-variance", "0.25", "--json");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(output.Trim());
        var theory = doc.RootElement.GetProperty("theory");
        Assert.Equal(0.014279701524, theory.GetProperty("surrogate_sharpness").GetDouble(), 11); // example A, reset gradient kept (LIF default)
        Assert.Equal(4.70588235e-03, doc.RootElement.GetProperty("recurrent_weight_mean").GetDouble(), 10);
        (_, output, _) = Run("init", "--help");
        foreach (string option in new[] { "--theta", "--beta", "--k", "--lambda", "--tau-mem", "--tau-syn", "--dt", "--rate", "--mu-u", "--xi", "--sigma-u", "--alpha" })
            Assert.Contains(option, output);
        Assert.Contains("in seconds", output);
        Assert.Contains("Hz", output);
    }

    [Fact]
    public void Probe_preset_writes_the_report_and_help_lists_presets()
    {
        var (code, output, err) = Run("probe", "--preset", "micheli-time", "--quick", "--out", dir, "--seed", "2");
        Assert.True(code == 0, err);
        Assert.Contains("beta=0.9", output);
        foreach (string f in new[] { "probe.csv", "summary.json", "report.html", "variance_depth.png", "heatmap_spikes_micheli_beta0.5.svg" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        (_, output, _) = Run("probe", "--help");
        foreach (var p in SpikeInit.Probing.ProbePresets.All) Assert.Contains(p.Name, output);
        (code, _, err) = Run("probe", "--method", "micheli", "--width", "0", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("width = 0", err);
        (code, _, err) = Run("probe", "--neuron", "cuba", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("--input poisson", err);
    }

    [Fact]
    public void Probe_sweep_from_lists()
    {
        var (code, output, err) = Run("probe", "--method", "micheli,fluctuation", "--neuron", "cuba", "--input", "poisson", "--sigma-u", "0.5,1",
                                      "--width", "32", "--depth", "2", "--steps", "30", "--repeats", "1", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("sigma_u=0.5", output);
        Assert.Contains("sigma_u=1", output);
        Assert.Equal(1 + 3 * (3 * 30), File.ReadAllLines(Path.Combine(dir, "probe.csv")).Length);
    }

    [Fact]
    public void Data_list_show_and_fetch_from_a_package()
    {
        var (code, output, err) = Run("data", "list", "--cache", dir);
        Assert.True(code == 0, err);
        Assert.Contains("randman", output);
        Assert.Contains("fashion-mnist", output);
        // a folder of IDX files
        string idx = Path.Combine(dir, "idx");
        Directory.CreateDirectory(idx);
        SpikeInit.Data.Idx.Write(Path.Combine(idx, "train-images-idx3-ubyte.gz"), new SpikeInit.Data.IdxArray([3, 28, 28], new byte[3 * 784]));
        SpikeInit.Data.Idx.Write(Path.Combine(idx, "train-labels-idx1-ubyte.gz"), new SpikeInit.Data.IdxArray([3], [0, 1, 1]));
        SpikeInit.Data.Idx.Write(Path.Combine(idx, "t10k-images-idx3-ubyte.gz"), new SpikeInit.Data.IdxArray([1, 28, 28], new byte[784]));
        SpikeInit.Data.Idx.Write(Path.Combine(idx, "t10k-labels-idx1-ubyte.gz"), new SpikeInit.Data.IdxArray([1], [2]));
        string png = Path.Combine(dir, "s.png");
        (code, output, err) = Run("data", "show", "mine", "--data-dir", idx, "--out", png);
        Assert.True(code == 0, err);
        Assert.Contains("1 2 0 0 0 0 0 0 0 0", output);
        Assert.True(new FileInfo(png).Length > 100);
        File.WriteAllBytes(Path.Combine(idx, "t10k-labels-idx1-ubyte.gz"), [0x1f, 0x8b, 1, 2]);
        File.Delete(Path.Combine(idx, "t10k-labels-idx1-ubyte.gz"));
        File.WriteAllBytes(Path.Combine(idx, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 5, 1]);
        (code, _, err) = Run("data", "show", "mine", "--data-dir", idx, "--out", png);
        Assert.Equal(2, code);
        Assert.Contains("truncated", err);
        (code, _, err) = Run("data", "show", "mnist", "--cache", Path.Combine(dir, "empty"));
        Assert.Equal(2, code);
        Assert.Contains("spikeinit data fetch mnist", err);
        (code, _, err) = Run("data", "fetch", "cifar");
        Assert.Equal(2, code);
        Assert.Contains("only mnist", err);
    }

    [Fact]
    public void Data_show_reads_shd_files_and_nmnist_folders()
    {
        Directory.CreateDirectory(dir);
        string h5 = Path.Combine(dir, "shd_test.h5");
        new PureHDF.H5File
        {
            ["spikes"] = new PureHDF.H5Group { ["times"] = new[] { new[] { 0.1f, 0.2f }, new[] { 0.3f } }, ["units"] = new[] { new ushort[] { 1, 2 }, new ushort[] { 3 } } },
            ["labels"] = new byte[] { 0, 4 },
        }.Write(h5);
        var (code, output, err) = Run("data", "show", h5, "--out", Path.Combine(dir, "r.png"));
        Assert.True(code == 0, err);
        Assert.Contains("349 steps", output);
        string train = Path.Combine(dir, "nm", "Train", "2"), test = Path.Combine(dir, "nm", "Test", "7");
        Directory.CreateDirectory(train);
        Directory.CreateDirectory(test);
        byte[] events = SpikeInit.Data.NMnist.Encode([new(1, 2, 1, 10), new(3, 4, 0, 2000)]);
        File.WriteAllBytes(Path.Combine(train, "a.bin"), events);
        File.WriteAllBytes(Path.Combine(test, "b.bin"), events);
        (code, output, err) = Run("data", "show", "nmnist", "--data-dir", Path.Combine(dir, "nm"));
        Assert.True(code == 0, err);
        Assert.Contains("2 events", output);
    }

    [Fact]
    public void Train_writes_the_run_folder_and_resume_continues_it()
    {
        string run = Path.Combine(dir, "run");
        var (code, output, err) = Run("train", "--arch", "rossbroich-shallow", "--epochs", "1", "--max-batches", "2", "--out", run, "--seed", "5");
        Assert.True(code == 0, err);
        Assert.Contains("init fluctuation", output);
        foreach (string f in new[] { "run.json", "versions.json", "metrics.csv", "summary.json", "learning_curves.png", "model/weights.bin", "checkpoint/optimizer.bin" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        using (var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
            foreach (string key in new[] { "test_accuracy", "best_val_accuracy", "iterations_to_target", "epochs", "wall_seconds" })
                Assert.True(summary.RootElement.TryGetProperty(key, out _), key);
        (code, _, err) = Run("train", "--resume", run);
        Assert.True(code == 0, err);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);   // nothing left to do: same history
        (code, _, err) = Run("train", "--resume", Path.Combine(dir, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("run.json", err);
        (code, _, err) = Run("train", "--arch", "micheli-mlp", "--dataset", "randman");
        Assert.Equal(2, code);
        Assert.Contains("trains on images", err);
        (code, _, err) = Run("train", "--optimizer", "rmsprop", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("optimizer = 'rmsprop'", err);
    }

    [Fact]
    public void Compare_trains_each_initialization_and_writes_one_report()
    {
        string out1 = Path.Combine(dir, "cmp");
        var (code, output, err) = Run("compare", "--arch", "rossbroich-shallow", "--init", "fluctuation,kaiming", "--epochs", "1", "--max-batches", "2", "--out", out1);
        Assert.True(code == 0, err);
        Assert.Contains("rate per hidden layer at init", output);
        string[] csv = File.ReadAllLines(Path.Combine(out1, "compare.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("fluctuation,", csv[1], StringComparison.Ordinal);
        Assert.Contains("learning_curves.svg", File.ReadAllText(Path.Combine(out1, "report.html")));
    }

    [Fact]
    public void Bench_prints_one_json_line_per_workload()
    {
        var (code, output, err) = Run("bench", "--workload", "W0");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(output.Trim());
        Assert.Equal("W0", doc.RootElement.GetProperty("workload").GetString());
        foreach (string key in new[] { "median_s", "min_s", "max_s", "n", "gflops", "own_gflops" }) Assert.True(doc.RootElement.TryGetProperty(key, out _), key);
        Assert.Equal(50, doc.RootElement.GetProperty("n").GetInt32());
        (code, _, err) = Run("bench", "--workload", "W9");
        Assert.Equal(2, code);
        Assert.Contains("W0, W1, W2, W3", err);
        (code, output, err) = Run("bench", "--workload", "none");             // nothing to run: an error, not a silent exit
        Assert.Equal(2, code);
        Assert.Contains("--workload none runs nothing", err);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public void Demo_runs_the_builtin_network_and_writes_csv()
    {
        var (code, output, err) = Run("demo", "--depth", "3", "--width", "64", "--steps", "5", "--batch", "2", "--out", dir, "--seed", "3");
        Assert.True(code == 0, err);
        Assert.Contains("seed 3", output);
        string[] lines = File.ReadAllLines(Path.Combine(dir, "demo.csv"));
        Assert.Equal("layer,time,firing_rate,silent_fraction,membrane_mean,membrane_var", lines[0]);
        Assert.Equal(1 + 4 * 5, lines.Length);
        var (_, again, _) = Run("demo", "--depth", "3", "--width", "64", "--steps", "5", "--batch", "2", "--seed", "3");
        Assert.Equal(output.Split("wrote")[0], again.Split("wrote")[0]);
    }

    [Theory]
    [InlineData("beta = 1.5 is outside the valid range [0, 1]", "demo", "--beta", "1.5")]
    [InlineData("theta = 0 is outside the valid range (0, ∞)", "demo", "--theta", "0")]
    [InlineData("threads = -1 must be at least 0", "info", "--threads", "-1")]
    [InlineData("width = 0 must be at least 1", "demo", "--width", "0")]
    public void User_errors_print_one_clear_line_and_exit_2(string message, params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("error: " + message, err.Trim());
    }

    [Fact]
    public void Unknown_options_are_parse_errors() => Assert.NotEqual(0, Run("demo", "--no-such-option").Code);

    [Fact]
    public void Version_and_help_work()
    {
        Assert.Equal(0, Run("--version").Code);
        Assert.Equal(0, Run("--help").Code);
    }
}
