using System.Globalization;

namespace SpikeInit.Sweeps;

/// <summary>One run of a sweep: its number, its seed, its point of the grid and the command line that runs it.</summary>
/// <param name="Index">Position in the plan (0-based); shard i of N runs the indices ≡ i mod N.</param>
/// <param name="Seed">The run's seed (<c>--seed</c>).</param>
/// <param name="Point">The grid point: option name → value, for the options with more than one value.</param>
/// <param name="Arguments">The command and its options, without <c>--out</c> (the sweep gives each run its folder).</param>
public sealed record SweepRun(int Index, long Seed, IReadOnlyList<KeyValuePair<string, string>> Point, IReadOnlyList<string> Arguments)
{
    /// <summary>The run's folder name inside the sweep folder, <c>run-0007</c>.</summary>
    public string Folder => "run-" + Index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The grid point without the seed as one label, e.g. <c>method=kaiming theta=0.5</c>.</summary>
    public string Label => Point.Count == 0 ? "(all)" : string.Join(" ", Point.Select(p => $"{p.Key}={p.Value}"));
}
