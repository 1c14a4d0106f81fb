namespace SpikeInit.Sweeps;

/// <summary>What happened to one run of a shard.</summary>
/// <param name="Run">The run.</param>
/// <param name="Status">finished (skipped: it had its summary), done, resumed or failed.</param>
/// <param name="ExitCode">The run's exit code (0 when skipped).</param>
public sealed record SweepOutcome(SweepRun Run, string Status, int ExitCode);
