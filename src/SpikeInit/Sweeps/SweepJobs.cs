using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SpikeInit.Sweeps;

/// <summary>
/// A sweep as a cluster job: a Slurm array job script (one array task per shard, the shard from
/// <c>SLURM_ARRAY_TASK_ID</c>, requeued on preemption) or a Kubernetes Indexed Job manifest (one completion index per
/// shard, from <c>JOB_COMPLETION_INDEX</c>; pods that fail or are evicted restart). Both run <c>spikeinit sweep</c>
/// with the same grid and folder, so a restarted shard skips its finished runs and resumes the unfinished ones.
/// </summary>
public static class SweepJobs
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The job formats.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["slurm", "k8s"];

    /// <summary>
    /// The job text of <paramref name="format"/> for <paramref name="plan"/> split into <paramref name="shards"/> shards, at
    /// most <paramref name="parallel"/> at once (null: no limit for Slurm; all shards for Kubernetes); <paramref name="globals"/>
    /// are options for every shard (e.g. <c>--threads 2</c>), <paramref name="image"/> the container image (k8s);
    /// <paramref name="gridFile"/>, when the grid came from a YAML file, is passed on as <c>--grid</c> (it must be where the
    /// cluster's tasks can read it).
    /// </summary>
    public static string Emit(string format, SweepPlan plan, int shards, int? parallel, IReadOnlyList<string> globals, string image, string? gridFile = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(globals);
        Validate.AtLeast(shards, "shard", 1);
        if (parallel is < 1) throw new ArgumentException($"parallel = {parallel} must be at least 1");
        return format switch
        {
            "slurm" => Slurm(plan, shards, parallel, globals, gridFile),
            "k8s" => Kubernetes(plan, shards, parallel ?? shards, globals, image, gridFile),
            _ => throw new ArgumentException($"emit = '{format}' is not one of {string.Join(", ", Formats)}"),
        };
    }

    private static List<string> Command(SweepPlan plan, IReadOnlyList<string> globals, string shard, string? gridFile) =>
        ["spikeinit", "sweep", .. gridFile is null ? [plan.Grid.Command, .. plan.Grid.Tokens()] : (string[])["--grid", gridFile], "--out", plan.Folder, "--shard", shard, .. globals];

    private static string Slurm(SweepPlan plan, int shards, int? parallel, IReadOnlyList<string> globals, string? gridFile)
    {
        string threads = globals.SkipWhile(g => g != "--threads").Skip(1).FirstOrDefault() ?? "1";
        string? memory = globals.SkipWhile(g => g != "--max-memory").Skip(1).FirstOrDefault();
        var sb = new StringBuilder("#!/bin/bash\n")
            .Append(Inv, $"# spikeinit sweep: {plan.Describe()}, as {shards} array tasks (task i runs the runs with index ≡ i mod {shards}).\n")
            .Append("# Submit with: sbatch THIS_FILE. A requeued or re-submitted task skips finished runs and resumes unfinished ones.\n")
            .Append("#SBATCH --job-name=spikeinit-sweep\n")
            .Append(Inv, $"#SBATCH --array=0-{shards - 1}{(parallel is { } p ? "%" + p.ToString(Inv) : "")}\n")
            .Append("#SBATCH --requeue\n")
            .Append("#SBATCH --open-mode=append\n")
            .Append("#SBATCH --signal=B:TERM@120\n")
            .Append(Inv, $"#SBATCH --cpus-per-task={(threads == "0" ? "1" : threads)}\n");
        if (memory is not null) sb.Append(Inv, $"#SBATCH --mem={memory}\n");
        sb.Append("#SBATCH --output=spikeinit-sweep-%A_%a.log\n")
          .Append("set -euo pipefail\n")
          .Append(": \"${SLURM_ARRAY_TASK_ID:?run this script with sbatch (a Slurm array job)}\"\n")
          .Append(Inv, $"mkdir -p {Quote(Path.Combine(plan.Folder, "logs"))}\n")
          .Append("exec ").AppendJoin(' ', Command(plan, globals, "SHARD", gridFile).Select(a => a == "SHARD" ? $"\"${{SLURM_ARRAY_TASK_ID}}/{shards.ToString(Inv)}\"" : Quote(a))).Append('\n');
        return sb.ToString();
    }

    private static string Kubernetes(SweepPlan plan, int shards, int parallel, IReadOnlyList<string> globals, string image, string? gridFile)
    {
        string folder = Path.IsPathRooted(plan.Folder) ? plan.Folder : "/results/" + plan.Folder.Replace('\\', '/');
        string mount = Path.IsPathRooted(plan.Folder) ? plan.Folder : "/results";
        var command = Command(plan with { Folder = folder }, globals, $"auto/{shards.ToString(Inv)}", gridFile);
        static string J(string s) => JsonSerializer.Serialize(s);
        return new StringBuilder()
            .Append(Inv, $"# spikeinit sweep: {plan.Describe()}, as an Indexed Job of {shards} completions (index i runs the runs with index ≡ i mod {shards}).\n")
            .Append("# Apply with: kubectl apply -f THIS_FILE. The claim spikeinit-results must be a ReadWriteMany volume that all pods share;\n")
            .Append("# a restarted or evicted pod skips finished runs and resumes unfinished ones. Merge with: spikeinit sweep --merge DIR.\n")
            .Append("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: spikeinit-sweep\nspec:\n  completionMode: Indexed\n")
            .Append(Inv, $"  completions: {shards}\n  parallelism: {Math.Min(parallel, shards)}\n  backoffLimit: {Math.Min(3L * shards, int.MaxValue)}\n")
            .Append("  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n        - name: sweep\n")
            .Append(Inv, $"          image: {J(image)}\n")
            .Append("          command: [").AppendJoin(", ", command.Select(J)).Append("]\n")
            .Append(Inv, $"          workingDir: {J(mount)}\n")
            .Append(Inv, $"          volumeMounts:\n            - name: results\n              mountPath: {J(mount)}\n")
            .Append("      volumes:\n        - name: results\n          persistentVolumeClaim:\n            claimName: spikeinit-results\n")
            .ToString();
    }

    /// <summary><paramref name="text"/> as one bash word (single-quoted unless it is plain).</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "_./,:=@+-%".Contains(c)) ? text : "'" + text.Replace("'", "'\\''") + "'";
    }
}
