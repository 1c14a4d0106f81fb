using SpikeInit.Sweeps;

namespace SpikeInit.Tests;

/// <summary>The sweep's grid, plan, shards and resume rules, without running anything.</summary>
public sealed class SweepGridTests() : TempFolderTest("spikeinit-sweepgrid-")
{
    [Fact]
    public void A_grid_expands_in_a_fixed_order_with_seeds_innermost()
    {
        SweepGrid grid = SweepGrid.Parse("train", ["--init", "micheli,kaiming", "--lr", "0.01", "--theta", "0.5,1,2", "--keep-surrogate"], "1-2,7");
        IReadOnlyList<SweepRun> runs = grid.Expand();
        Assert.Equal(2 * 3 * 3, runs.Count);
        Assert.Equal(["train", "--init", "micheli", "--lr", "0.01", "--theta", "0.5", "--keep-surrogate", "--seed", "1"], runs[0].Arguments);
        Assert.Equal(["train", "--init", "kaiming", "--lr", "0.01", "--theta", "2", "--keep-surrogate", "--seed", "7"], runs[^1].Arguments);
        Assert.Equal([1L, 2, 7, 1], runs.Take(4).Select(r => r.Seed));
        Assert.Equal("init=micheli theta=1", runs[3].Label);                 // the single-valued --lr is not part of the point
        Assert.Equal(Enumerable.Range(0, runs.Count), runs.Select(r => r.Index));
        Assert.Equal("run-0017", runs[^1].Folder);
        Assert.Equal(runs.Select(r => r.Arguments), SweepGrid.Parse("train", [.. grid.Tokens().SkipLast(2)], "1,2,7").Expand().Select(r => r.Arguments));
    }

    [Theory]
    [InlineData("1-5", new long[] { 1, 2, 3, 4, 5 })]
    [InlineData("3", new long[] { 3 })]
    [InlineData("0,10-11", new long[] { 0, 10, 11 })]
    public void Seeds_are_lists_and_ranges(string text, long[] expected) => Assert.Equal(expected, SweepGrid.ParseSeeds(text));

    [Theory]
    [InlineData("1-2-3")]
    [InlineData("-1")]
    [InlineData("1,1")]
    [InlineData("0-200000")]
    public void Bad_seeds_name_the_option(string text) => Assert.StartsWith("seeds = ", Assert.Throws<ArgumentException>(() => SweepGrid.ParseSeeds(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_shard_takes_its_index_from_slurm_then_kubernetes()
    {
        var env = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "2" };
        Assert.Equal(new SweepShard(2, 4), SweepShard.Parse("auto/4", n => env.GetValueOrDefault(n)));
        env["SLURM_ARRAY_TASK_ID"] = "1";
        Assert.Equal(new SweepShard(1, 4), SweepShard.Parse("auto/4", n => env.GetValueOrDefault(n)));
        env["SLURM_ARRAY_TASK_ID"] = "4";
        Assert.Contains("SLURM_ARRAY_TASK_ID = 4 is out of range 0 to 3", Assert.Throws<ArgumentException>(() => SweepShard.Parse("auto/4", n => env.GetValueOrDefault(n))).Message);
        SweepShard shard = SweepShard.Parse("1/3");
        Assert.Equal([1, 4, 7, 10], Enumerable.Range(0, 12).Where(shard.Includes));
        Assert.Equal(12, SweepShard.CountOf(null, 12));
        Assert.Equal(3, SweepShard.CountOf("auto/3", 12));
    }

    [Fact]
    public void An_unfinished_train_run_resumes_from_its_checkpoint_and_a_stopped_one_is_not_finished()
    {
        var plan = SweepPlan.Of(dir, SweepGrid.Parse("train", ["--init", "micheli,kaiming"], "1"));
        string folder = plan.RunFolder(plan.Runs[1]);
        Assert.Equal((IReadOnlyList<string>)[.. plan.Runs[1].Arguments, "--out", folder], SweepRunner.Invocation(plan, plan.Runs[1]).Arguments);
        Directory.CreateDirectory(Path.Combine(folder, "checkpoint"));
        File.WriteAllText(Path.Combine(folder, "run.json"), "{}");
        var (arguments, resumed) = SweepRunner.Invocation(plan, plan.Runs[1]);
        Assert.Equal(["train", "--resume", folder], arguments);
        Assert.True(resumed);
        Directory.Delete(Path.Combine(folder, "checkpoint"));                                     // killed before its first checkpoint: start again
        Assert.Equal("--force", SweepRunner.Invocation(plan, plan.Runs[1]).Arguments[^1]);
        File.WriteAllText(Path.Combine(folder, "summary.json"), "{\"status\": \"cancelled\"}");
        Assert.False(SweepRunner.Finished(folder));
        File.WriteAllText(Path.Combine(folder, "summary.json"), "{\"status\": \"diverged\"}");
        Assert.True(SweepRunner.Finished(folder));                                                // finished, and merged as failed
    }

    [Fact]
    public void A_failed_run_is_marked_and_retried_and_parallel_runs_all_finish()
    {
        var plan = SweepPlan.Of(dir, SweepGrid.Parse("probe", ["--theta", "0.5,1,2"], "1-2"));
        plan.Save();
        int calls = 0;
        int Execute(IReadOnlyList<string> args)
        {
            Interlocked.Increment(ref calls);
            string folder = args[args.ToList().IndexOf("--out") + 1];
            Directory.CreateDirectory(folder);
            if (args[2] == "2" && args[4] == "2") return 3;                                        // theta 2, seed 2 fails
            File.WriteAllText(Path.Combine(folder, "summary.json"), $"{{\"x\": {args[2]}}}");
            return 0;
        }
        var outcomes = SweepRunner.Run(plan, SweepShard.All, 3, Execute);
        Assert.Equal(6, calls);
        Assert.Equal(["done", "done", "done", "done", "done", "failed"], outcomes.Select(o => o.Status));
        Assert.True(File.Exists(Path.Combine(plan.RunFolder(plan.Runs[5]), SweepRunner.FailedFile)));
        var (_, rows, metrics) = SweepMerge.Read(dir);
        Assert.Equal(["x"], metrics);
        Assert.Equal([0.5, 0.5, 1, 1, 2], rows.Take(5).Select(r => r.Metrics["x"]));
        Assert.Equal("failed", rows[5].Status);
        outcomes = SweepRunner.Run(plan, SweepShard.All, 1, Execute);
        Assert.Equal(7, calls);                                                                   // only the failed run again
        Assert.Equal("failed", outcomes[5].Status);
    }

    [Fact]
    public void A_run_stopped_by_a_signal_ends_the_shard()
    {
        var plan = SweepPlan.Of(dir, SweepGrid.Parse("train", ["--init", "micheli,kaiming"], "1-2"));
        var outcomes = SweepRunner.Run(plan, SweepShard.All, 1, args => args.Contains("2") && args.Contains("micheli") ? SweepRunner.Interrupted : 1);
        Assert.Equal(["failed", "failed", "not started", "not started"], outcomes.Select(o => o.Status));
        Assert.Equal(SweepRunner.Interrupted, outcomes[1].ExitCode);
    }

    [Fact]
    public void A_yaml_grid_takes_values_verbatim_and_plans_the_same_runs_as_the_command_line()
    {
        string file = Path.Combine(dir, "grid.yaml");
        File.WriteAllText(file, "command: train\nseeds: [1, 2]\noptions:\n  arch: micheli-mlp\n  init: [micheli, kaiming]\n  schedule: ['multi-step:5,8', cosine]\n");
        SweepGrid grid = SweepGrid.From(file, null, [], null);
        Assert.Equal(8, grid.Expand().Count);
        Assert.Equal(["train", "--arch", "micheli-mlp", "--init", "micheli", "--schedule", "multi-step:5,8", "--seed", "1"], grid.Expand()[0].Arguments);
        Assert.Contains("contains a comma", Assert.Throws<ArgumentException>(() => grid.Tokens()).Message);
        File.WriteAllText(file, "command: probe\nseeds: 1-2\noptions:\n  theta: [0.5, 1]\n  gradients: true\n");
        Assert.Equal(SweepGrid.Parse("probe", ["--theta", "0.5,1", "--gradients", "true"], "1-2").Expand().Select(r => r.Arguments),
                     SweepGrid.Load(file).Expand().Select(r => r.Arguments));
        Assert.Contains("give none of them", Assert.Throws<ArgumentException>(() => SweepGrid.From(file, "probe", [], null)).Message);
    }

    [Theory]
    [InlineData("- a\n- b\n", "expected one mapping")]
    [InlineData("command: probe\nflavour: x\n", "unexpected 'flavour'")]
    [InlineData("command: probe\noptions:\n  theta: [[1, 2]]\n", "--theta at line 3 must be a single value")]
    [InlineData("command: fit\n", "command must be one of probe, train, compare")]
    [InlineData("options:\n  theta: []\n", "has no values")]
    [InlineData("command: probe\noptions:\n  out: x\n", "--out is not a grid option")]
    [InlineData("command: [probe\n", "not YAML")]
    public void A_hostile_yaml_grid_is_one_clear_error(string text, string expected)
    {
        string file = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(file, text);
        Exception e = Assert.ThrowsAny<Exception>(() => SweepGrid.Load(file));
        Assert.True(e is ArgumentException or InvalidDataException, e.ToString());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("grid", e.Message, StringComparison.Ordinal);
    }
}
