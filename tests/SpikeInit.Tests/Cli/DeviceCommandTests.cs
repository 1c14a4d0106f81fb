using System.Text.Json.Nodes;

namespace SpikeInit.Tests;

/// <summary>
/// <c>--device</c> on the commands that run networks: <c>--device cpu</c> gives bit-identical results to no option, the run
/// folder records the device, and CUDA in this CPU-only process is one <c>error:</c> line (exit 2) before any work.
/// </summary>
public sealed class DeviceCommandTests() : TempFolderTest("spikeinit-cli-device-")
{
    private static readonly string[] Quick = ["--epochs", "1", "--max-batches", "1", "--steps", "3", "--batch", "5", "--limit-train", "10", "--threads", "1"];

    private static string[] MetricsWithoutTime(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, "metrics.csv")).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 9)))];   // column 9: wall_seconds

    [Fact]
    public void Train_with_device_cpu_gives_the_same_run_as_without_and_records_the_device()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string plain = Path.Combine(dir, "plain"), cpu = Path.Combine(dir, "cpu");
        var (code, _, err) = CliTests.Run(["train", "--arch", "hc-recurrent", "--dataset", root, "--out", plain, .. Quick]);
        Assert.True(code == 0, err);
        (code, _, err) = CliTests.Run(["train", "--arch", "hc-recurrent", "--dataset", root, "--out", cpu, "--device", "cpu", .. Quick]);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain, "model", "weights.bin")), File.ReadAllBytes(Path.Combine(cpu, "model", "weights.bin")));
        Assert.Equal(MetricsWithoutTime(plain), MetricsWithoutTime(cpu));
        foreach (string run in (string[])[plain, cpu])
            Assert.Equal("cpu", JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!["device"]!.GetValue<string>());

        (code, _, err) = CliTests.Run("train", "--resume", cpu, "--device", "cpu", "--threads", "1");    // the same device: resumes
        Assert.True(code == 0, err);
        if (TorchSharp.torch.cuda.is_available()) return;
        (code, _, err) = CliTests.Run("train", "--resume", cpu, "--device", "cuda", "--threads", "1");
        Assert.Equal(2, code);
        Assert.Contains("CUDA is not available", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_and_demo_with_device_cpu_give_the_same_numbers_as_without()
    {
        string[] probe = ["probe", "--width", "12", "--depth", "2", "--steps", "3", "--repeats", "1", "--batch", "4", "--method", "kaiming", "--gradients", "--no-plots", "--threads", "1"];
        var (code, _, err) = CliTests.Run([.. probe, "--out", Path.Combine(dir, "p0")]);
        Assert.True(code == 0, err);
        (code, _, err) = CliTests.Run([.. probe, "--out", Path.Combine(dir, "p1"), "--device", "cpu"]);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "p0", "probe.csv")), File.ReadAllText(Path.Combine(dir, "p1", "probe.csv")));
        string[] demo = ["demo", "--width", "10", "--depth", "2", "--steps", "3", "--json", "--threads", "1"];
        Assert.Equal(CliTests.Run(demo).Out, CliTests.Run([.. demo, "--device", "cpu"]).Out);
    }

    [Fact]
    public void Cuda_in_a_cpu_only_process_is_one_error_naming_the_package_and_leaves_no_run_folder()
    {
        if (TorchSharp.torch.cuda.is_available()) return;   // a CUDA build runs it instead
        string run = Path.Combine(dir, "run");
        var (code, output, err) = CliTests.Run(["train", "--arch", "rossbroich-shallow", "--out", run, "--device", "cuda", .. Quick]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: --device cuda: CUDA is not available in this process", err, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda-linux", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run), "a refused device leaves no run folder");
    }
}
