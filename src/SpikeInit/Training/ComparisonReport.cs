using System.Globalization;
using System.Text;
using SpikeInit.IO;

namespace SpikeInit.Training;

/// <summary>
/// The files of a comparison: <c>learning_curves.png/.svg</c> (validation accuracy per epoch of every run),
/// <c>report.html</c> (a table of the runs and the plot), <c>compare.csv</c> (one row per run) and <c>summary.json</c> (per
/// initialization the mean over seeds of test and best validation accuracy and iterations to target; a sweep merges it).
/// </summary>
public static class ComparisonReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the four files into <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyList<ComparisonResult> results, string architecture)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(results);
        Plot(folder, results, architecture);
        AtomicFile.WriteText(Path.Combine(folder, "report.html"), Html(results, architecture));
        AtomicFile.WriteText(Path.Combine(folder, "compare.csv"), Csv(results));
        AtomicFile.WriteText(Path.Combine(folder, "summary.json"), Summary(results, architecture));
    }

    private static string Summary(IReadOnlyList<ComparisonResult> results, string architecture)
    {
        static double? Mean(IEnumerable<double> xs) => xs.Where(double.IsFinite).ToArray() is { Length: > 0 } f ? f.Average() : null;
        TrainingStatus status = results.Select(r => r.Summary.Status).FirstOrDefault(s => s != TrainingStatus.Completed, TrainingStatus.Completed);
        var inits = new System.Text.Json.Nodes.JsonObject();
        foreach (var g in results.GroupBy(r => r.Init))
            inits[g.Key] = new System.Text.Json.Nodes.JsonObject
            {
                ["test_accuracy"] = Mean(g.Select(r => r.Summary.TestAccuracy)),
                ["best_val_accuracy"] = Mean(g.Select(r => r.Summary.BestValidationAccuracy)),
                ["iterations_to_target"] = Mean(g.Select(r => r.Summary.IterationsToTarget is { } n ? (double)n : double.NaN)),
                ["seeds"] = g.Count(),
            };
        var json = new System.Text.Json.Nodes.JsonObject { ["status"] = EnumNames.Of(status), ["architecture"] = architecture, ["inits"] = inits };
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static void Plot(string folder, IReadOnlyList<ComparisonResult> results, string architecture) =>
        PlotFiles.Save(LearningCurves(results, architecture), Path.Combine(folder, "learning_curves"), 1100, 560);

    /// <summary>
    /// Per initialization, the validation accuracy per epoch (test accuracy where there is no validation split; left axis,
    /// percent, solid) as the mean over seeds with a min–max band, and the mean train loss (right axis, dotted); integer epochs.
    /// </summary>
    internal static ScottPlot.Plot LearningCurves(IReadOnlyList<ComparisonResult> results, string architecture)
    {
        var plot = FigureStyle.New($"{architecture}: initializations compared (loss and accuracy per epoch)", "epoch", "validation accuracy (%, solid)");
        plot.Axes.Right.Label.Text = "train loss (cross-entropy, dotted)";
        var methods = results.Select(r => r.Init).Distinct().ToList();
        int maxSeeds = 1;
        foreach (string method in methods)
        {
            var runs = results.Where(r => r.Init == method).Select(r => r.Summary.History.Where(e => e.Epoch >= 0).ToList()).ToList();
            maxSeeds = Math.Max(maxSeeds, runs.Count);
            int[] epochs = [.. runs.SelectMany(h => h.Select(e => e.Epoch)).Distinct().Order()];
            static double Accuracy(EpochMetrics e) => double.IsFinite(e.ValidationAccuracy) ? e.ValidationAccuracy : e.TestAccuracy;
            double[] At(int epoch, Func<EpochMetrics, double> f) => [.. runs.SelectMany(h => h.Where(e => e.Epoch == epoch)).Select(f).Where(double.IsFinite)];
            double[] xs = [.. epochs.Select(e => (double)e)];
            double[][] acc = [.. epochs.Select(e => At(e, x => 100 * Accuracy(x)))], loss = [.. epochs.Select(e => At(e, x => x.TrainLoss))];
            ScottPlot.Color color = FigureStyle.ColorOf(methods.IndexOf(method));
            if (runs.Count > 1)
                FigureStyle.Band(plot, xs, [.. acc.Select(a => a.Length > 0 ? a.Min() : double.NaN)], [.. acc.Select(a => a.Length > 0 ? a.Max() : double.NaN)], color);
            FigureStyle.Measured(plot, xs, [.. acc.Select(a => a.Length > 0 ? a.Average() : double.NaN)], color, $"{method} accuracy ({runs.Count} seed{(runs.Count > 1 ? "s" : "")})");
            if (FigureStyle.Measured(plot, xs, [.. loss.Select(a => a.Length > 0 ? a.Average() : double.NaN)], color, $"{method} train loss (right axis)") is { } line)
            {
                line.Axes.YAxis = plot.Axes.Right;
                line.LinePattern = ScottPlot.LinePattern.Dotted;
                line.MarkerShape = ScottPlot.MarkerShape.OpenSquare;
            }
        }
        if (maxSeeds > 1) FigureStyle.AddBandLegend(plot, "band: min–max of accuracy over seeds (line: mean)");
        FigureStyle.IntegerTicks(plot.Axes.Bottom);
        FigureStyle.Legend(plot);
        return plot;
    }

    /// <summary>One row per run: init, seed, test and best validation accuracy, iterations to target, hidden rates at init, seconds.</summary>
    public static TextTable Table(IReadOnlyList<ComparisonResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new TextTable(["init", "seed", "test accuracy", "best validation", "iterations to target", "hidden rates at init", "seconds"],
                             [.. results.Select(r => (IReadOnlyList<string>)[r.Init, r.Seed.ToString(Inv), TrainingReport.Percent(r.Summary.TestAccuracy),
                                 TrainingReport.Percent(r.Summary.BestValidationAccuracy), TrainingReport.Iterations(r.Summary.IterationsToTarget),
                                 string.Join(" ", r.InitialRates.Select(x => x.ToString("G3", Inv))), r.Summary.WallSeconds.ToString("F0", Inv)])]);
    }

    private static string Html(IReadOnlyList<ComparisonResult> results, string architecture)
    {
        StringBuilder sb = TextTable.HtmlPage($"{architecture}: initializations compared").Append(Table(results).ToHtml());
        sb.Append("<img src=\"learning_curves.svg\" alt=\"learning curves\"><p>Each run's folder holds metrics.csv, summary.json, its checkpoint and model.</p></body></html>");
        return sb.ToString();
    }

    private static string Csv(IReadOnlyList<ComparisonResult> results)
    {
        var csv = new StringBuilder("init,seed,test_accuracy,best_val_accuracy,iterations_to_target,wall_seconds\n");
        foreach (ComparisonResult r in results)
            csv.Append(r.Init).Append(',').Append(r.Seed.ToString(Inv)).Append(',').Append(r.Summary.TestAccuracy.ToString("R", Inv)).Append(',')
               .Append(r.Summary.BestValidationAccuracy.ToString("R", Inv)).Append(',').Append(r.Summary.IterationsToTarget?.ToString(Inv) ?? "")
               .Append(',').Append(r.Summary.WallSeconds.ToString("F1", Inv)).Append('\n');
        return csv.ToString();
    }
}
