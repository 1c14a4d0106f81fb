using System.Diagnostics;
using System.Security.Cryptography;

namespace SpikeInit.Tests;

/// <summary>Issue 14 items 5 and 7: runs are never lost, outputs are checked first, piped output stays whole.</summary>
public sealed class RunLifecycleCommandTests() : TempFolderTest("spikeinit-cli-runs-")
{
    private static readonly string[] Tiny = ["--arch", "rossbroich-shallow", "--max-batches", "2", "--threads", "1"];

    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    /// <summary>Runs the built spikeinit in <paramref name="workDir"/> with piped output (as a log or a pipe would see it).</summary>
    private static (int Code, string Out, string Err) Process(string workDir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SpikeInit.Cli.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                 .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void Repeating_a_train_command_changes_nothing_of_the_first_run_and_uses_a_free_folder()
    {
        string[] train = ["train", .. Tiny, "--epochs", "1"];
        var (code, _, err) = Process(dir, train);
        Assert.True(code == 0, err);
        string first = Path.Combine(dir, "runs", "rossbroich-shallow-fluctuation-42");
        Dictionary<string, string> before = Hashes(first);
        Assert.Contains("run.json", before.Keys);
        (code, var output, err) = Process(dir, train);
        Assert.True(code == 0, err);
        Assert.Equal(before, Hashes(first));
        Assert.True(File.Exists(Path.Combine(first + "-2", "run.json")));
        Assert.Contains("rossbroich-shallow-fluctuation-42-2", output);
        Assert.DoesNotContain("running acc.", output);                   // progress goes to standard error
        Assert.DoesNotContain("…", output);                              // piped tables are not cut to 80 columns
    }

    [Fact]
    public void Resume_with_a_larger_epochs_extends_a_finished_run_like_an_uninterrupted_one_and_refuses_other_changes()
    {
        string run = Path.Combine(dir, "run"), straight = Path.Combine(dir, "straight");
        Assert.Equal(0, Run(["train", .. Tiny, "--epochs", "1", "--out", run]).Code);
        var (code, _, err) = Run("train", "--resume", run, "--lr", "0.01");
        Assert.Equal(2, code);
        Assert.Contains("--lr 0.01 differs from the run's 0.05", err);
        (code, _, err) = Run("train", "--resume", run, "--seed", "7");
        Assert.Contains("--seed 7 differs from the run's 42", err);
        (code, _, err) = Run("train", "--resume", run, "--epochs", "3", "--init", "kaiming");
        Assert.Contains("--init kaiming differs from the run's \"fluctuation\"", err);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);   // refused before any work
        (code, _, err) = Run("train", "--resume", run, "--epochs", "3", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Equal(0, Run(["train", .. Tiny, "--epochs", "3", "--out", straight]).Code);
        string[] extended = File.ReadAllLines(Path.Combine(run, "metrics.csv")), whole = File.ReadAllLines(Path.Combine(straight, "metrics.csv"));
        Assert.Equal(4, extended.Length);
        int seconds = Array.IndexOf(whole[0].Split(','), "wall_seconds");
        Assert.True(seconds > 0);
        static string WithoutTime(string line, int column) => string.Join(",", line.Split(',').Where((_, i) => i != column));
        Assert.Equal(whole.Select(l => WithoutTime(l, seconds)), extended.Select(l => WithoutTime(l, seconds)));
        Assert.Contains("\"epochs\": 3", File.ReadAllText(Path.Combine(run, "run.json")));
        (code, _, err) = Run("train", "--resume", run, "--epochs", "2");
        Assert.Contains("epochs = 2 must be at least 3", err);
    }

    [Fact]
    public void Force_replaces_a_run_and_a_failed_start_leaves_no_folder()
    {
        string run = Path.Combine(dir, "run");
        Assert.Equal(0, Run(["train", .. Tiny, "--epochs", "1", "--out", run]).Code);
        var (code, _, err) = Run(["train", .. Tiny, "--epochs", "1", "--out", run]);
        Assert.Contains("replace it with --force", err);
        (code, _, err) = Run(["train", .. Tiny, "--epochs", "2", "--out", run, "--force"]);
        Assert.True(code == 0, err);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);
        foreach (string command in new[] { "train", "compare", "calibrate" })
        {
            string never = Path.Combine(dir, "never-" + command);
            (code, _, err) = Run([command, .. Tiny, "--batch", "0", "--out", never, "--calibrate", "rate:0.1"]);
            Assert.Equal(2, code);
            Assert.False(Directory.Exists(never), command);
        }
    }

    [Theory]
    [InlineData("demo", "--depth", "2", "--width", "8", "--steps", "2")]
    [InlineData("compare", "--max-batches", "1", "--epochs", "1")]
    [InlineData("probe", "--method", "micheli", "--width", "8", "--depth", "2", "--repeats", "1")]
    [InlineData("calibrate", "--calibrate", "rate:0.1")]
    [InlineData("diagnose", "--batch", "4")]
    [InlineData("train", "--epochs", "1")]
    public void An_output_folder_that_is_a_file_is_refused_before_any_work(params string[] args)
    {
        string file = Path.Combine(dir, "taken.txt");
        File.WriteAllText(file, "keep");
        var (code, output, err) = Run([.. args, "--out", file]);
        Assert.Equal(2, code);
        Assert.Contains($"out = {file} is a file", err);
        Assert.Equal("", output.Trim());                                   // nothing computed, nothing printed
        Assert.Equal("keep", File.ReadAllText(file));
    }

    [Fact]
    public void Data_show_never_overwrites_a_file_that_is_not_its_picture()
    {
        string file = Path.Combine(dir, "notes.txt");
        File.WriteAllText(file, "keep");
        var (code, _, err) = Run("data", "show", "randman", "--out", file);
        Assert.Equal(2, code);
        Assert.Contains("out = " + file + " must be a .png file", err);
        Assert.Equal("keep", File.ReadAllText(file));
    }

    [Fact]
    public async Task Ctrl_c_during_train_prints_the_resume_command()
    {
        // A test host started in the background of a shell without job control ignores SIGINT, and so does every child
        // (.NET keeps an inherited "ignore"): nothing to test there.
        if (File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } ignored
            && (Convert.ToUInt64(ignored[7..].Trim(), 16) & 2) != 0) return;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[Path.Combine(AppContext.BaseDirectory, "SpikeInit.Cli.dll"), "train", "--epochs", "1000", "--max-batches", "4", "--threads", "1", "--out", "r"])
            start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        var err = new System.Text.StringBuilder();
        while (p.StandardError.ReadLine() is { } line && !line.Contains("batch", StringComparison.Ordinal)) err.AppendLine(line);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Task<string> rest = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(180_000), "train did not stop on SIGINT");
        Assert.True(p.ExitCode == 130, err + await rest);
        Assert.Contains("continue with: spikeinit train --resume r", await output);
    }
}
