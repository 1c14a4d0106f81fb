using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>
/// Issue 15 item 6: a <c>train</c> child process killed with SIGKILL at seeded random moments, several times in a row, and
/// resumed each time, ends with the same metrics as an uninterrupted run; so does a run left in each state a kill inside
/// the checkpoint swap can leave, and SIGTERM checkpoints like Ctrl-C.
/// </summary>
public sealed class KillAndResumeTests() : TempFolderTest("spikeinit-kill-")
{
    private static readonly string[] Train = ["train", "--arch", "rossbroich-shallow", "--max-batches", "3", "--threads", "1"];

    /// <summary>metrics.csv without its wall-clock column.</summary>
    private static string[] Metrics(string run)
    {
        string[] lines = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        int seconds = Array.IndexOf(lines[0].Split(','), "wall_seconds");
        return [.. lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != seconds)))];
    }

    [Fact]
    public void Kills_at_random_moments_and_in_every_swap_state_resume_to_the_uninterrupted_metrics()
    {
        var straight = HostileCli.Run(dir, [.. Train, "--epochs", "3", "--out", "straight"]);
        Assert.True(straight.Code == 0, straight.Err);
        string[] expected = Metrics(Path.Combine(dir, "straight"));
        string run = Path.Combine(dir, "killed");

        // 1. SIGKILL at random moments of a run's life (start-up, training, checkpoint swap), resumed after each kill.
        var random = new Random(15);
        bool started = false;
        for (int kill = 0; kill < 3; kill++)
        {
            using var p = HostileCli.Start(dir, started ? ["train", "--resume", run, "--threads", "1"] : [.. Train, "--epochs", "3", "--out", run]);
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            bool exited = p.WaitForExit(random.Next(1500, 6000));
            if (!exited) p.Kill();
            p.WaitForExit();
            started |= File.Exists(Path.Combine(run, "run.json")) && (Directory.Exists(Path.Combine(run, "checkpoint")) || Directory.Exists(Path.Combine(run, "checkpoint.old")));
            if (!started && Directory.Exists(run)) Directory.Delete(run, true);       // killed before its first checkpoint: start again
        }

        // 2. The states a kill inside Checkpoint.Save can leave: a half-written temp folder; the old checkpoint moved aside
        //    with the new one still under its temporary name; a half-deleted .old beside the new checkpoint.
        if (!started) Assert.Equal(0, HostileCli.Run(dir, [.. Train, "--out", run, "--epochs", "1"]).Code);
        string checkpoint = Path.Combine(run, "checkpoint");
        Checkpoint.Recover(checkpoint);
        Directory.CreateDirectory(checkpoint + ".tmp-999999");
        File.WriteAllText(Path.Combine(checkpoint + ".tmp-999999", "weights.bin"), "half");
        var resumed = HostileCli.Run(dir, "train", "--resume", run, "--threads", "1", "--epochs", "3");
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.False(Directory.Exists(checkpoint + ".tmp-999999"));
        Assert.Equal(expected, Metrics(run));

        Directory.Move(checkpoint, checkpoint + ".old");                                 // killed between the two renames
        Assert.Equal(0, HostileCli.Run(dir, "train", "--resume", run, "--threads", "1").Code);
        Assert.True(Directory.Exists(checkpoint) && !Directory.Exists(checkpoint + ".old"));
        CopyFolder(checkpoint, checkpoint + ".old");
        File.Delete(Path.Combine(checkpoint + ".old", "state.json"));                   // killed while deleting .old
        Assert.Equal(0, HostileCli.Run(dir, "train", "--resume", run, "--threads", "1").Code);
        Assert.False(Directory.Exists(checkpoint + ".old"));
        Assert.Equal(expected, Metrics(run));
    }

    [Fact]
    public async Task Sigterm_checkpoints_and_exits_like_ctrl_c()
    {
        using var p = HostileCli.Start(dir, ["train", "--arch", "rossbroich-shallow", "--max-batches", "4", "--epochs", "1000", "--threads", "1", "--out", "r"]);
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        while (p.StandardError.ReadLine() is { } line && !line.Contains("batch", StringComparison.Ordinal)) { }
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        _ = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "train did not stop on SIGTERM");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("continue with: spikeinit train --resume r", await output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "r", "checkpoint", "state.json")));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.EnumerateFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
