using System.Globalization;
using SpikeInit.IO;

namespace SpikeInit.Sweeps;

/// <summary>
/// Runs one shard of a plan: a run whose folder holds <c>summary.json</c> is finished and skipped; an unfinished
/// <c>train</c> run with a checkpoint continues with <c>train --resume</c>; any other unfinished run starts again (its
/// earlier files are replaced). A run that fails leaves <c>failed.txt</c> (its exit code) in its folder for
/// <see cref="SweepMerge"/>; one stopped by a signal (exit 130, e.g. a preempted Slurm task) ends the shard: runs not yet
/// started are reported as such. Runs go through an executor (a command line → exit code): in this process, or a child process
/// per run (<see cref="SweepProcess"/>) when several run at once.
/// </summary>
public static class SweepRunner
{
    /// <summary>The file a finished run leaves in its folder.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The exit code of a run stopped by Ctrl-C or SIGTERM (it checkpointed); after it the shard starts no further runs.</summary>
    public const int Interrupted = 130;

    /// <summary>The file a failed run gets in its folder.</summary>
    public const string FailedFile = "failed.txt";

    /// <summary>
    /// Runs the runs of <paramref name="shard"/>, up to <paramref name="parallel"/> at once, through
    /// <paramref name="execute"/> (which must be safe to call concurrently when <paramref name="parallel"/> &gt; 1);
    /// <paramref name="started"/> hears of each run as it starts. Returns the outcomes in run order.
    /// </summary>
    public static IReadOnlyList<SweepOutcome> Run(SweepPlan plan, SweepShard shard, int parallel, Func<IReadOnlyList<string>, int> execute,
                                                  Action<SweepRun, IReadOnlyList<string>>? started = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(execute);
        Validate.AtLeast(parallel, "parallel", 1);
        SweepRun[] mine = [.. plan.Runs.Where(r => shard.Includes(r.Index))];
        var outcomes = new SweepOutcome[mine.Length];
        int interrupted = 0;
        void One(int i)
        {
            SweepRun run = mine[i];
            if (Volatile.Read(ref interrupted) != 0)
            {
                outcomes[i] = new SweepOutcome(run, "not started", Interrupted);
                return;
            }
            string folder = plan.RunFolder(run);
            if (Finished(folder))
            {
                outcomes[i] = new SweepOutcome(run, "finished", 0);
                return;
            }
            var (arguments, resumed) = Invocation(plan, run);
            if (Directory.Exists(folder)) File.Delete(Path.Combine(folder, FailedFile));
            started?.Invoke(run, arguments);
            int code = execute(arguments);
            if (code == Interrupted) Volatile.Write(ref interrupted, 1);        // stopped (Ctrl-C, SIGTERM): start nothing new
            if (code != 0 || !Finished(folder))
            {
                Directory.CreateDirectory(folder);
                AtomicFile.WriteText(Path.Combine(folder, FailedFile), $"exit code {code.ToString(CultureInfo.InvariantCulture)}: {string.Join(" ", arguments)}\n");
                outcomes[i] = new SweepOutcome(run, "failed", code == 0 ? 1 : code);
            }
            else outcomes[i] = new SweepOutcome(run, resumed ? "resumed" : "done", 0);
        }
        try
        {
            Parallel.For(0, mine.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel }, One);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return outcomes;
    }

    /// <summary>Whether the run in <paramref name="folder"/> is finished: it has its summary, and it was not stopped (a stopped train run's summary says <c>cancelled</c>).</summary>
    public static bool Finished(string folder)
    {
        string path = Path.Combine(folder, SummaryFile);
        if (!File.Exists(path)) return false;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))?["status"] is not { } status || (string?)status != "cancelled";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;                                       // a torn or damaged summary: run it again
        }
    }

    /// <summary>The command line that finishes an unfinished run, and whether it resumes a checkpoint.</summary>
    public static (IReadOnlyList<string> Arguments, bool Resumed) Invocation(SweepPlan plan, SweepRun run)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        string folder = plan.RunFolder(run);
        if (plan.Grid.Command == "train" && File.Exists(Path.Combine(folder, "run.json")) && Directory.Exists(Path.Combine(folder, "checkpoint")))
            return (["train", "--resume", folder], true);
        bool leftovers = Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFileName(e) != FailedFile);
        return (leftovers && plan.Grid.Command != "probe" ? [.. plan.Arguments(run), "--force"] : plan.Arguments(run), false);
    }
}
