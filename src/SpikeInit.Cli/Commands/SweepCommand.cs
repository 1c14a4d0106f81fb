using System.CommandLine;
using SpikeInit.Sweeps;

namespace SpikeInit.Cli.Commands;

/// <summary>
/// <c>spikeinit sweep probe|train|compare OPTIONS --seeds 1-5 --out DIR</c>: a grid of runs, run here (one shard, or all
/// with <c>--parallel</c>), emitted as a Slurm or Kubernetes job, or merged (<c>--merge DIR</c>).
/// </summary>
internal static class SweepCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var what = new Argument<string?>("command") { Description = "probe, train or compare, followed by that command's options, each with one value or a comma-separated list.", Arity = ArgumentArity.ZeroOrOne };
        var seeds = new Option<string?>("--seeds") { Description = "Seeds of the grid: a list with ranges, e.g. 1-5 or 1,2,10-12 (default: 42)." };
        var output = new Option<string>("--out") { Description = "Sweep folder: sweep.json (the plan), one run-NNNN folder per run, logs/ (a folder with another plan is refused).", DefaultValueFactory = _ => "sweep-out" };
        var shard = new Option<string?>("--shard") { Description = "Run shard i of N (the runs with index ≡ i mod N): i/N, or auto/N with i from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX. With --emit: the task count N (default: one per run)." };
        var parallel = new Option<int?>("--parallel") { Description = "Runs at once, each in its own process (default 1: one after another in this process); with --emit, tasks at once." };
        var emit = new Option<string?>("--emit") { Description = "Print the cluster job instead of running: slurm (an array job script) or k8s (an Indexed Job manifest)." };
        var file = new Option<string?>("--output", "-o") { Description = "With --emit: write the job to this file." };
        var image = new Option<string>("--image") { Description = "With --emit k8s: the container image with spikeinit on its PATH.", DefaultValueFactory = _ => "spikeinit:latest" };
        var gridFile = new Option<string?>("--grid") { Description = "Read the grid from a YAML file instead: command, seeds, and options (name: value or [list], values verbatim, so commas are allowed)." };
        var merge = new Option<string?>("--merge") { Description = "Merge the sweep in this folder into merged.csv, merged.json and report.html (mean ± sd over seeds); lists missing and failed runs." };
        var command = new Command("sweep", "Run a grid of probe, train or compare runs (shards, resume), emit it as a Slurm or Kubernetes job, or merge its results.")
        {
            what, seeds, output, shard, parallel, emit, file, image, gridFile, merge,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        globals.SetAction(command, (parse, ctx) =>
        {
            if (parse.GetValue(merge) is { } folder)
            {
                if (parse.GetValue(what) is not null || parse.UnmatchedTokens.Count > 0) throw new ArgumentException("sweep --merge DIR takes no command or grid options");
                var (table, incomplete) = SweepMerge.Write(folder);
                ctx.Show(table);
                foreach (SweepRow r in incomplete) ctx.Say($"{r.Status}: {r.Run.Folder} ({r.Run.Label}, seed {r.Run.Seed})");
                ctx.Say($"wrote merged.csv, merged.json and report.html to {Path.GetFullPath(folder)}; {incomplete.Count} runs missing or failed");
                return 0;
            }
            if (parse.GetResult(globals.Seed) is { Implicit: false }) throw new ArgumentException("sweep takes its seeds as --seeds (e.g. 1-5), not --seed");
            Command root = parse.RootCommandResult.Command;
            string[] passed = [.. Given(parse, globals.Threads), .. Given(parse, globals.MaxMemory)];
            SweepGrid grid = SweepGrid.From(parse.GetValue(gridFile), parse.GetValue(what), parse.UnmatchedTokens, parse.GetValue(seeds));
            SweepPlan plan = SweepPlan.Of(parse.GetValue(output)!, grid, args => root.Parse([.. args, .. passed]) is { Errors: [var e, ..] } p ? CliApp.Describe(e, p.CommandResult.Command) : null);
            if (parse.GetValue(emit) is { } format)
            {
                string job = SweepJobs.Emit(format, plan, SweepShard.CountOf(parse.GetValue(shard), plan.Runs.Count), parse.GetValue(parallel), passed, parse.GetValue(image)!, parse.GetValue(gridFile));
                if (parse.GetValue(file) is { } path) IO.AtomicFile.WriteText(IO.OutputPath.File(path, "output", format == "k8s" ? ".yaml" : ".sh"), job);
                else ctx.Line(job.TrimEnd('\n'));
                return 0;
            }
            SweepShard part = SweepShard.Parse(parse.GetValue(shard));
            int at = parse.GetValue(parallel) ?? 1;
            plan.Save();
            Func<IReadOnlyList<string>, int> execute = at > 1
                ? SweepProcess.Executor(SweepProcess.SelfCommand(typeof(SweepCommand).Assembly.Location), Path.Combine(plan.Folder, "logs"), ["--quiet", .. passed])
                : args => CliApp.Invoke(root.Parse([.. args, "--quiet", .. passed]));
            var outcomes = SweepRunner.Run(plan, part, at, execute, (run, args) => ctx.Note($"run {run.Index}/{plan.Runs.Count}: spikeinit {string.Join(" ", args)}"));
            foreach (var status in outcomes.GroupBy(o => o.Status)) ctx.Say($"{status.Key}: {status.Count()} runs ({string.Join(" ", status.Select(o => o.Run.Index))})");
            ctx.Say($"shard {part} of {plan.Describe()} in {Path.GetFullPath(plan.Folder)}; merge with: spikeinit sweep --merge {plan.Folder}");
            return outcomes.Any(o => o.Status == "not started") ? SweepRunner.Interrupted : outcomes.Any(o => o.Status == "failed") ? 3 : 0;
        });
        return command;
    }

    private static string[] Given<T>(ParseResult parse, Option<T> option) =>
        parse.GetResult(option) is { Implicit: false } r ? [option.Name, .. r.Tokens.Select(t => t.Value)] : [];
}
