namespace SpikeInit.Benchmarks;

/// <summary>One reference workload of docs/BENCHMARKS.md as data: its name (W0 …), a one-line description and how to run it.</summary>
/// <param name="Name">The workload's name, as <c>spikeinit bench --workload</c> takes it.</param>
/// <param name="Description">What it measures, for help texts.</param>
/// <param name="Run">Runs it with its defined repeats.</param>
public sealed record Workload(string Name, string Description, Func<BenchResult> Run);
