using System.Diagnostics;

namespace SpikeInit.Tests;

/// <summary>
/// <c>spikeinit sweep</c> end to end on tiny probe runs: a 12-run grid split into three shards (one with its index from
/// SLURM_ARRAY_TASK_ID) merges to the same table as one local sweep, a killed shard resumes its unfinished runs, the emitted
/// Slurm script is valid bash, and hostile input is one error line. One class: the tests set SLURM_ARRAY_TASK_ID in turn.
/// </summary>
public sealed class SweepCommandTests() : TempFolderTest("spikeinit-sweep-")
{
    private static readonly string[] Grid =
        ["probe", "--method", "micheli,kaiming,glorot", "--theta", "0.5,1", "--width", "10", "--depth", "2", "--steps", "4", "--repeats", "1", "--batch", "2", "--no-plots", "--seeds", "1-2", "--threads", "1"];

    private static (int Code, string Out, string Err) Sweep(params string[] args) => CliTests.Run(["sweep", .. args]);

    private static void WithSlurmIndex(string? value, Action body)
    {
        string? slurm = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), k8s = Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX");
        Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", value);
        Environment.SetEnvironmentVariable("JOB_COMPLETION_INDEX", null);
        try
        {
            body();
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", slurm);
            Environment.SetEnvironmentVariable("JOB_COMPLETION_INDEX", k8s);
        }
    }

    [Fact]
    public void Three_shards_merge_to_the_same_table_as_one_local_sweep_and_a_killed_shard_resumes()
    {
        string local = Path.Combine(dir, "local"), sharded = Path.Combine(dir, "sharded");
        var (code, output, err) = Sweep([.. Grid, "--out", local]);
        Assert.True(code == 0, err);
        Assert.Contains("done: 12 runs", output);
        Assert.Equal(12, Directory.GetDirectories(local, "run-*").Count(d => File.Exists(Path.Combine(d, "summary.json"))));

        Assert.Equal(0, Sweep([.. Grid, "--out", sharded, "--shard", "0/3"]).Code);
        (code, output, _) = Sweep("--merge", sharded);
        Assert.Equal(0, code);
        Assert.Equal(8, output.Split('\n').Count(l => l.StartsWith("missing: run-", StringComparison.Ordinal)));   // shards 1 and 2 not yet run
        WithSlurmIndex("1", () => Assert.Equal(0, Sweep([.. Grid, "--out", sharded, "--shard", "auto/3"]).Code));
        Assert.Equal(0, Sweep([.. Grid, "--out", sharded, "--shard", "2/3"]).Code);

        Assert.Equal(0, Sweep("--merge", local).Code);
        (code, output, _) = Sweep("--merge", sharded);
        Assert.Equal(0, code);
        Assert.Contains("0 runs missing or failed", output);
        string merged = File.ReadAllText(Path.Combine(local, "merged.csv"));
        Assert.Equal(merged, File.ReadAllText(Path.Combine(sharded, "merged.csv")));
        Assert.Equal(13, merged.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("run,method,theta,seed,status,", merged, StringComparison.Ordinal);
        Assert.Contains("last_layer_rate", merged);
        Assert.True(File.Exists(Path.Combine(local, "report.html")) && File.Exists(Path.Combine(local, "sweep_0.png")));

        // a killed shard: run 4 lost its summary mid-write, run 7 left a partial folder; the re-run redoes exactly those
        File.Delete(Path.Combine(local, "run-0004", "summary.json"));
        Directory.Delete(Path.Combine(local, "run-0007"), recursive: true);
        Directory.CreateDirectory(Path.Combine(local, "run-0007"));
        File.WriteAllText(Path.Combine(local, "run-0007", "probe.csv"), "partial");
        (code, output, err) = Sweep([.. Grid, "--out", local, "--shard", "1/3"]);
        Assert.True(code == 0, err);
        Assert.Contains("done: 2 runs (4 7)", output);
        Assert.Contains("finished: 2 runs (1 10)", output);
        Assert.Equal(0, Sweep("--merge", local).Code);
        Assert.Equal(merged, File.ReadAllText(Path.Combine(local, "merged.csv")));   // seeded: the same numbers again

        // the folder holds this plan: another grid is refused
        (code, _, err) = Sweep([.. Grid.Select(a => a == "0.5,1" ? "0.5" : a), "--out", local]);
        Assert.Equal(2, code);
        Assert.Matches("^error: .*holds another sweep.*\n$", err);
    }

    [Fact]
    public void Parallel_runs_in_child_processes_give_the_same_table_as_runs_in_this_process()
    {
        string[] grid = [.. Grid.Select(a => a switch { "micheli,kaiming,glorot" => "kaiming", "1-2" => "1", _ => a })];
        string serial = Path.Combine(dir, "serial"), parallel = Path.Combine(dir, "parallel");
        Assert.Equal(0, Sweep([.. grid, "--out", serial]).Code);
        var (code, output, err) = Sweep([.. grid, "--out", parallel, "--parallel", "2"]);
        Assert.True(code == 0, err + output);
        Assert.Contains("done: 2 runs", output);
        Assert.True(File.Exists(Path.Combine(parallel, "logs", "run-0001.log")), "each child logs into DIR/logs");
        Assert.Equal(0, Sweep("--merge", serial).Code);
        Assert.Equal(0, Sweep("--merge", parallel).Code);
        Assert.Equal(File.ReadAllText(Path.Combine(serial, "merged.csv")), File.ReadAllText(Path.Combine(parallel, "merged.csv")));
    }

    [Fact]
    public void The_emitted_slurm_script_is_valid_bash_with_an_array_and_the_shard_from_the_task_id()
    {
        string script = Path.Combine(dir, "sweep.sh"), manifest = Path.Combine(dir, "sweep.yaml");
        var (code, _, err) = Sweep([.. Grid, "--out", Path.Combine(dir, "s"), "--emit", "slurm", "--shard", "auto/4", "--parallel", "2", "-o", script]);
        Assert.True(code == 0, err);
        string text = File.ReadAllText(script);
        Assert.Contains("#SBATCH --array=0-3%2\n", text);
        Assert.Contains("#SBATCH --requeue\n", text);
        Assert.Contains("--shard \"${SLURM_ARRAY_TASK_ID}/4\"", text);
        Assert.Contains("--method micheli,kaiming,glorot --theta 0.5,1", text);
        using (var bash = Process.Start(new ProcessStartInfo("bash", ["-n", script]) { RedirectStandardError = true })!)
        {
            string syntax = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, syntax);
        }
        Assert.False(Directory.Exists(Path.Combine(dir, "s")), "emitting runs nothing");

        (code, _, err) = Sweep([.. Grid, "--out", "/shared/s", "--emit", "k8s", "--shard", "auto/3", "--image", "registry.example/spikeinit:1", "-o", manifest]);
        Assert.True(code == 0, err);
        text = File.ReadAllText(manifest);
        foreach (string line in (string[])["completionMode: Indexed", "completions: 3", "parallelism: 3", "backoffLimit: 9", "image: \"registry.example/spikeinit:1\"",
                                            "\"--shard\", \"auto/3\"", "mountPath: \"/shared/s\"", "persistentVolumeClaim:"])
            Assert.Contains(line, text);
    }

    /// <summary>Hostile sweeps: each one error line naming what is wrong, and nothing run.</summary>
    public static TheoryData<string, string> HostileCases => new()
    {
        { "probe --steps abc", "--steps = 'abc' is not an integer" },
        { "probe --thetaa 1", "unknown option --thetaa" },
        { "probe --theta 1 --theta 2", "--theta is given twice" },
        { "probe --theta ,", "has no values" },
        { "probe 0.5", "expected an option --name" },
        { "probe --resume x", "--resume is not a grid option" },
        { "probe --seed 3", "--seeds" },
        { "probe --seeds 5-1", "ends before it starts" },
        { "probe --seeds x", "seeds = 'x'" },
        { "probe --shard 3/3", "out of range 0 to 2" },
        { "probe --shard 0/0", "must be an integer from 1" },
        { "probe --shard abc", "is not i/N or auto/N" },
        { "probe --shard -1/3", "is not a non-negative integer" },
        { "probe --shard auto/3", "SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX" },
        { "probe --emit pbs", "emit = 'pbs'" },
        { "probe --emit slurm --shard auto/99", "would leave tasks idle" },
        { "fit --theta 1", "sweep needs a command" },
        { "", "sweep needs a command" },
    };

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void A_hostile_sweep_is_one_error_line(string args, string expected) => WithSlurmIndex(null, () =>
    {
        string output = Path.Combine(dir, "hostile");
        var (code, _, err) = Sweep([.. args.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--width", "8", "--depth", "2", "--out", output]);
        Assert.True(code == 2, $"{args}: exit {code}, {err}");
        Assert.Matches("^error: [^\n]*\n$", err);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), $"{args}: nothing is written");
    });

    [Fact]
    public void Merging_a_folder_that_is_not_a_sweep_is_one_error_line()
    {
        var (code, _, err) = Sweep("--merge", dir);
        Assert.Equal(2, code);
        Assert.Matches("^error: .*is not a sweep folder \\(no sweep.json\\)[^\n]*\n$", err);
        File.WriteAllText(Path.Combine(dir, "sweep.json"), "{\"command\": \"probe\"}");
        (code, _, err) = Sweep("--merge", dir);
        Assert.Equal(2, code);
        Assert.Matches("^error: .*is not a sweep plan[^\n]*\n$", err);
    }
}
