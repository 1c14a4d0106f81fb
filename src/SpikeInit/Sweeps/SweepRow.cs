namespace SpikeInit.Sweeps;

/// <summary>One run in a merged sweep: the run, its status and the numbers of its summary.</summary>
/// <param name="Run">The run.</param>
/// <param name="Status">done, missing (no summary), failed (its <c>failed.txt</c>), or the summary's status when it is not completed (e.g. diverged).</param>
/// <param name="Metrics">The summary's numbers by name (see <see cref="SweepMerge.Metrics"/>).</param>
public sealed record SweepRow(SweepRun Run, string Status, IReadOnlyDictionary<string, double> Metrics);
