using SpikeInit.Networks;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>One trained run of a comparison.</summary>
/// <param name="Init">Initialization method.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Summary">How training went.</param>
/// <param name="InitialRates">Mean firing rate per hidden layer on one training batch at initialization.</param>
public sealed record ComparisonResult(string Init, long Seed, TrainingSummary Summary, IReadOnlyList<double> InitialRates);

/// <summary>A run of a comparison, prepared and about to train.</summary>
/// <param name="Init">Initialization method.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Run">Its run folder (<c>DIR/INIT-SEED</c>).</param>
/// <param name="InitialRates">Mean firing rate per hidden layer on one training batch at initialization.</param>
public sealed record ComparisonStart(string Init, long Seed, RunFolder Run, IReadOnlyList<double> InitialRates);

/// <summary>
/// The same network under several initializations (and seeds): each trains in its own run folder <c>DIR/INIT-SEED</c>,
/// its hidden layers' firing rates at initialization are measured first, and one report compares them
/// (<see cref="ComparisonReport"/>).
/// </summary>
public static class Comparison
{
    /// <summary>
    /// Trains <paramref name="template"/> once per initialization and seed (initializations outer, seeds inner), then writes
    /// the report into <paramref name="folder"/>. <paramref name="train"/> trains each prepared run (default: without
    /// progress); callers use it to show progress. Run folders that already hold a run are refused before anything trains
    /// (replaced with <paramref name="force"/>), as is a <paramref name="folder"/> that cannot be written.
    /// </summary>
    public static IReadOnlyList<ComparisonResult> Run(RunConfiguration template, IReadOnlyList<string> inits, IReadOnlyList<long> seeds, string folder,
                                                      Func<ComparisonStart, TrainingSummary>? train = null, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(inits);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(folder);
        if (inits.Count == 0 || seeds.Count == 0) throw new ArgumentException("a comparison needs at least one initialization and one seed");
        train ??= start => start.Run.Train();
        IO.OutputPath.Folder(folder, "out");
        foreach (string init in inits)
            foreach (long seed in seeds.Where(_ => !force))
                RunFolder.EnsureFree(RunPath(folder, init, seed));
        var results = new List<ComparisonResult>();
        foreach (string init in inits)
            foreach (long seed in seeds)
            {
                TrainingOptions? options = template.Options is { TensorBoard: { } logs } o ? o with { TensorBoard = Path.Combine(logs, $"{init}-{seed}") } : template.Options;
                RunFolder run = RunFolder.Create(template with { Seed = seed, Init = init, Options = options }, RunPath(folder, init, seed), force: force);
                IReadOnlyList<double> rates = InitialRates(run.Prepared!);
                results.Add(new ComparisonResult(init, seed, train(new ComparisonStart(init, seed, run, rates)), rates));
            }
        ComparisonReport.Write(folder, results, template.Architecture);
        return results;
    }

    private static string RunPath(string folder, string init, long seed) => Path.Combine(folder, $"{init}-{seed}");

    /// <summary>Mean firing rate per hidden layer on one training batch at initialization (the probe's quantity on real data).</summary>
    private static IReadOnlyList<double> InitialRates(PreparedRun run)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, _) = run.Data.Train(0).First();
        NetworkRun r = run.Network.Run(x, run.Data.Steps, Recording.Spikes);
        return [.. r.Layers.Where(l => l.Index < run.Network.Blocks.Count - 1 && l.Spikes is not null).Select(l => LayerActivity.Measure(l.Spikes!).MeanRate)];
    }
}
