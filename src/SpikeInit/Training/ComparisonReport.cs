using System.Globalization;
using System.Text;
using SpikeInit.IO;

namespace SpikeInit.Training;

/// <summary>
/// The files of a comparison: <c>learning_curves.png/.svg</c> (validation accuracy per epoch of every run),
/// <c>report.html</c> (a table of the runs and the plot) and <c>compare.csv</c> (one row per run).
/// </summary>
public static class ComparisonReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the three files into <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyList<ComparisonResult> results, string architecture)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(results);
        Plot(folder, results, architecture);
        AtomicFile.WriteText(Path.Combine(folder, "report.html"), Html(results, architecture));
        AtomicFile.WriteText(Path.Combine(folder, "compare.csv"), Csv(results));
    }

    private static void Plot(string folder, IReadOnlyList<ComparisonResult> results, string architecture)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var methods = results.Select(r => r.Init).Distinct().ToList();
        foreach (ComparisonResult r in results)
        {
            var h = r.Summary.History.Where(e => e.Epoch >= 0 && double.IsFinite(e.ValidationAccuracy)).ToList();
            if (h.Count == 0) h = [.. r.Summary.History.Where(e => e.Epoch >= 0)];
            var line = plot.Add.Scatter(h.Select(e => (double)e.Epoch).ToArray(), h.Select(e => double.IsFinite(e.ValidationAccuracy) ? e.ValidationAccuracy : e.TestAccuracy).ToArray(),
                                        palette.GetColor(methods.IndexOf(r.Init)));
            line.LegendText = $"{r.Init} (seed {r.Seed})";
        }
        plot.XLabel("epoch");
        plot.YLabel("validation accuracy");
        plot.Title($"{architecture}: initializations compared");
        plot.ShowLegend();
        PlotFiles.Save(plot, Path.Combine(folder, "learning_curves"), 900, 560);
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
