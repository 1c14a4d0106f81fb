using System.Globalization;
using System.Text;
using System.Text.Json;
using SpikeInit.IO;

namespace SpikeInit.Training;

/// <summary>Writes metrics.csv, summary.json and learning-curve plots of a run.</summary>
public static class TrainingReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One row per epoch: epoch, train/validation/test accuracy, train loss, seconds.</summary>
    public static TextTable Epochs(TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new TextTable(["epoch", "train acc.", "val acc.", "test acc.", "train loss", "seconds"],
                             [.. summary.History.Select(h => (IReadOnlyList<string>)[h.Epoch.ToString(Inv), Percent(h.TrainAccuracy), Percent(h.ValidationAccuracy),
                                 Percent(h.TestAccuracy), h.TrainLoss.ToString("G4", Inv), h.WallSeconds.ToString("F0", Inv)])]);
    }

    /// <summary>A fraction as a percentage with one decimal ("-" when not finite).</summary>
    public static string Percent(double x) => double.IsFinite(x) ? x.ToString("P1", Inv) : "-";

    /// <summary>Iterations to the target accuracy, or "never".</summary>
    public static string Iterations(long? iterations) => iterations?.ToString(Inv) ?? "never";

    /// <summary>metrics.csv (one row per epoch).</summary>
    public static void WriteMetrics(string directory, IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        Directory.CreateDirectory(directory);
        int layers = history.Count == 0 ? 0 : history.Max(h => h.LayerRates.Count);
        var sb = new StringBuilder("epoch,iteration,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,wall_seconds");
        for (int l = 0; l < layers; l++) sb.Append(",rate_layer_").Append(l + 1);
        sb.Append('\n');
        foreach (EpochMetrics h in history)
        {
            sb.AppendJoin(',', [h.Epoch.ToString(Inv), h.Iteration.ToString(Inv), N(h.LearningRate), N(h.TrainLoss), N(h.TrainAccuracy),
                                N(h.ValidationLoss), N(h.ValidationAccuracy), N(h.TestLoss), N(h.TestAccuracy), N(h.WallSeconds),
                                .. h.LayerRates.Select(N)]).Append('\n');
        }
        AtomicFile.WriteText(Path.Combine(directory, "metrics.csv"), sb.ToString());
    }

    private static string N(double x) => double.IsNaN(x) ? "" : x.ToString("R", Inv);

    /// <summary>metrics.csv, summary.json (with where the data splits came from, when given) and learning_curves.png/svg.</summary>
    public static void Write(string directory, TrainingSummary summary, string dataset, string? splits = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        WriteMetrics(directory, summary.History);
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["status"] = summary.Status.ToString().ToLowerInvariant(),
            ["message"] = summary.Message,
            ["dataset"] = dataset,
            ["splits"] = splits,
            ["test_accuracy"] = double.IsFinite(summary.TestAccuracy) ? summary.TestAccuracy : null,
            ["best_val_accuracy"] = summary.BestValidationAccuracy,
            ["iterations_to_target"] = summary.IterationsToTarget,
            ["epochs"] = summary.Epochs,
            ["wall_seconds"] = Math.Round(summary.WallSeconds, 3),
        };
        if (summary.InitialRate is { } initialRate) json["initial_rate"] = initialRate.ToJson();
        AtomicFile.WriteText(Path.Combine(directory, "summary.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (summary.History.Count == 0) return;
        ScottPlot.Plot plot = LearningCurves(summary.History, dataset);
        PlotFiles.Save(plot, Path.Combine(directory, "learning_curves"), 1000, 520);
    }

    /// <summary>
    /// Learning curves of one run: accuracy per epoch (train, validation, test; left axis, percent, solid) and loss per
    /// epoch (train, validation; right axis, dotted) with integer epoch ticks.
    /// </summary>
    internal static ScottPlot.Plot LearningCurves(IReadOnlyList<EpochMetrics> history, string dataset)
    {
        var plot = FigureStyle.New($"{dataset}: loss and accuracy per epoch", "epoch", "accuracy (%, solid)");
        plot.Axes.Right.Label.Text = "loss (cross-entropy, dotted)";
        int i = 0;
        void Line(Func<EpochMetrics, double> f, string label, bool loss)
        {
            var points = history.Where(h => double.IsFinite(f(h))).ToList();
            ScottPlot.Color color = FigureStyle.ColorOf(i++ % 3);
            if (points.Count == 0) return;
            var line = FigureStyle.Measured(plot, [.. points.Select(h => (double)h.Epoch)], [.. points.Select(h => loss ? f(h) : 100 * f(h))], color, label);
            if (line is null || !loss) return;
            line.Axes.YAxis = plot.Axes.Right;
            line.LinePattern = ScottPlot.LinePattern.Dotted;
            line.MarkerShape = ScottPlot.MarkerShape.OpenSquare;
        }
        Line(h => h.TrainAccuracy, "train accuracy", false);
        Line(h => h.ValidationAccuracy, "validation accuracy", false);
        Line(h => h.TestAccuracy, "test accuracy", false);
        i = 0;
        Line(h => h.TrainLoss, "train loss (right axis)", true);
        Line(h => h.ValidationLoss, "validation loss (right axis)", true);
        Line(h => h.TestLoss, "test loss (right axis)", true);
        FigureStyle.IntegerTicks(plot.Axes.Bottom);
        FigureStyle.Legend(plot);
        return plot;
    }
}
