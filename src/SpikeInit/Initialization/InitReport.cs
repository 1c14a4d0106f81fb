using System.Globalization;
using SpikeInit.IO;

namespace SpikeInit.Initialization;

/// <summary>
/// What <c>spikeinit init</c> prints for one layer: a header (neuron, fan-in/out, input), a table of weight statistics and
/// predictions per method (n/a where a method does not apply), and one note per method.
/// </summary>
public static class InitReport
{
    /// <summary>The header lines: the neuron, then fan-in, fan-out and the input.</summary>
    public static IReadOnlyList<string> Header(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        InputStatistics x = context.Input;
        string input = x.Binary
            ? $"spikes with p = {F(x.Mean)} per step" + (x.Rate is { } r ? $", rate {F(r)}" : "") + $" (presynaptic membrane mean {F(x.MembraneMean)}, Var {F(x.MembraneVariance)})"
            : $"real-valued, mean {F(x.Mean)}, Var {F(x.Variance)}";
        return [context.Neuron.Description,
                $"fan-in {context.FanIn}, fan-out {context.FanOut}" + (context.HasRecurrence ? $", recurrent fan-in {context.RecurrentFanIn}" : "") + $"; input: {input}"];
    }

    /// <summary>
    /// Each method's prediction for <paramref name="context"/>; with <paramref name="tolerant"/> (all methods at once) a method
    /// that does not apply gets its reason instead of stopping the others.
    /// </summary>
    public static IReadOnlyList<(string Name, Prediction? Theory, string? Error)> Predict(IEnumerable<InitializerInfo> methods, InitOptions options,
                                                                                        InitContext context, bool tolerant)
    {
        ArgumentNullException.ThrowIfNull(methods);
        var results = new List<(string Name, Prediction? Theory, string? Error)>();
        foreach (Initializer init in methods.Select(m => m.Create(options)))
        {
            try
            {
                results.Add((init.Name, init.Theory(context), null));
            }
            catch (ArgumentException e) when (tolerant)
            {
                results.Add((init.Name, null, Validate.Message(e)));
            }
        }
        return results;
    }

    /// <summary>The table (one row per method) and the notes (each method's prediction in words, or why it does not apply).</summary>
    public static (TextTable Table, IReadOnlyList<string> Notes) Table(InitContext context, IEnumerable<(string Name, Prediction? Theory, string? Error)> results)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(results);
        List<string> columns = ["method", "w mean", "w std", "bias"];
        if (context.HasRecurrence) columns.AddRange(["rec mean", "rec std"]);
        columns.AddRange(["Var[I]", "u mean", "u std", "P(fire)"]);
        var rows = new List<IReadOnlyList<string>>();
        var notes = new List<string>();
        foreach (var (name, p, error) in results)
        {
            if (p is null)
            {
                rows.Add([name, .. Enumerable.Repeat("n/a", columns.Count - 1)]);
                notes.Add($"{name}: not applicable: {error}");
                continue;
            }
            var cells = new List<string> { name, F(p.WeightMean), F(p.WeightStd), F(p.Bias) };
            if (context.HasRecurrence) cells.AddRange([F(p.RecurrentWeightMean), F(p.RecurrentWeightStd)]);
            cells.AddRange([F(p.InputCurrentVariance), F(p.MembraneMean), F(p.MembraneStd), F(p.RatePerStep ?? p.FiringProbability)]);
            rows.Add(cells);
            notes.Add($"{name}: {p.Describe()}");
        }
        return (new TextTable(columns, rows), notes);
    }

    private static string F(double? x) => x is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
