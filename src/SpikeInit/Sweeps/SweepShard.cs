using System.Globalization;

namespace SpikeInit.Sweeps;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: the runs whose index is ≡ Index mod Count. A cluster's array job runs
/// one shard per task, with the index from <c>SLURM_ARRAY_TASK_ID</c> (Slurm job arrays) or <c>JOB_COMPLETION_INDEX</c>
/// (Kubernetes Indexed Jobs).
/// </summary>
/// <param name="Index">This shard, 0 ≤ Index &lt; Count.</param>
/// <param name="Count">How many shards the sweep is split into.</param>
public sealed record SweepShard(int Index, int Count)
{
    /// <summary>The environment variables that carry a shard index, in the order they are read.</summary>
    public static IReadOnlyList<string> IndexVariables { get; } = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    /// <summary>All runs in one shard.</summary>
    public static SweepShard All { get; } = new(0, 1);

    /// <summary>Whether run <paramref name="index"/> belongs to this shard.</summary>
    public bool Includes(int index) => index % Count == Index;

    /// <summary>
    /// <c>i/N</c>, or <c>auto/N</c> with i from the first of <see cref="IndexVariables"/> that is set
    /// (<paramref name="environment"/> reads a variable; default: the process environment). Null: all runs.
    /// </summary>
    public static SweepShard Parse(string? text, Func<string, string?>? environment = null)
    {
        if (text is null) return All;
        environment ??= Environment.GetEnvironmentVariable;
        string[] parts = text.Split('/');
        if (parts.Length != 2) throw new ArgumentException($"shard = '{text}' is not i/N or auto/N (e.g. 0/4: the first of 4 shards)");
        int count = int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= SweepGrid.MaxRuns ? n
            : throw new ArgumentException($"shard = '{text}': N = '{parts[1]}' must be an integer from 1 to {SweepGrid.MaxRuns}");
        string index = parts[0];
        string source = "i";
        if (index == "auto")
        {
            string? variable = IndexVariables.FirstOrDefault(v => !string.IsNullOrEmpty(environment(v)));
            if (variable is null) throw new ArgumentException($"shard = '{text}': auto needs {string.Join(" or ", IndexVariables)} to be set (a Slurm array or Kubernetes Indexed Job task); locally give i/N");
            index = environment(variable)!;
            source = variable;
        }
        int i = int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int k) ? k
            : throw new ArgumentException($"shard = '{text}': {source} = '{index}' is not a non-negative integer");
        return i < count ? new SweepShard(i, count)
            : throw new ArgumentException($"shard = '{text}': {source} = {i} is out of range 0 to {count - 1}");
    }

    /// <summary>
    /// The shard count N of <c>i/N</c> or <c>auto/N</c> (how many tasks a cluster job gets); null: one shard per run. More
    /// shards than the <paramref name="runs"/> would leave tasks idle and are refused.
    /// </summary>
    public static int CountOf(string? text, int runs)
    {
        if (text is null) return runs;
        int count = Parse(text, _ => "0").Count;
        return count <= runs ? count : throw new ArgumentException($"shard = '{text}': {count} shards for {runs} runs would leave tasks idle (N at most {runs})");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";
}
