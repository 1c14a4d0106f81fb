using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScottPlot;
using SpikeInit.IO;

namespace SpikeInit.Probing;

/// <summary>
/// The outputs of <c>spikeinit diagnose</c>: JSON (one object per layer — <c>layer, name, firing_rate, rate_over_time,
/// silent_fraction, saturated_fraction, membrane_mean, membrane_std, surrogate_mean, surrogate_peak, grad_norm</c> — and one
/// summary object with <c>first_silent_layer</c> (null when none) and <c>recommendation</c>), and a report folder with
/// <c>diagnosis.json</c>, PNG and SVG plots and <c>report.html</c>.
/// </summary>
public static class DiagnosisReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Line = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON object per layer, in order.</summary>
    public static IReadOnlyList<JsonObject> LayerObjects(DiagnosisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Layers.Select(l => new JsonObject
        {
            ["layer"] = l.Layer, ["name"] = l.Name, ["hidden"] = l.Hidden, ["firing_rate"] = Num(l.MeanRate),
            ["rate_over_time"] = new JsonArray([.. l.Rate.Select(r => (JsonNode?)Num(r))]),
            ["silent_fraction"] = Num(l.SilentFraction), ["saturated_fraction"] = Num(l.SaturatedFraction), ["threshold"] = Num(l.Threshold),
            ["membrane_mean"] = Num(l.MembraneMean), ["membrane_std"] = Num(l.MembraneStd),
            ["surrogate_mean"] = Num(l.SurrogateMean), ["surrogate_peak"] = Num(l.SurrogatePeak), ["grad_norm"] = Num(l.GradientNorm),
        })];
    }

    /// <summary>The summary object: <c>first_silent_layer</c>, <c>first_spikeless_layer</c>, <c>recommendation</c> (kind, layer, text, fix, option, value, alternative_init), steps, batch, loss.</summary>
    public static JsonObject Summary(DiagnosisResult result, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        Recommendation r = result.Recommendation;
        return new JsonObject
        {
            ["summary"] = description ?? "diagnosis", ["first_silent_layer"] = result.FirstSilentLayer, ["first_spikeless_layer"] = result.FirstSpikelessLayer, ["steps"] = result.Steps, ["batch"] = result.Batch,
            ["loss"] = Num(result.Loss),
            ["recommendation"] = new JsonObject
            {
                ["kind"] = EnumNames.Of(r.Kind), ["layer"] = r.Layer, ["text"] = r.Text, ["fix"] = r.Fix, ["option"] = r.Option, ["value"] = r.Value,
                ["alternative_init"] = r.AlternativeInit,
            },
        };
    }

    /// <summary>The JSON lines <c>diagnose --json</c> prints: the layer objects, then the summary.</summary>
    public static IEnumerable<string> JsonLines(DiagnosisResult result, string? description = null) =>
        [.. LayerObjects(result).Select(o => o.ToJsonString(Line)), Summary(result, description).ToJsonString(Line)];

    /// <summary>Writes <c>diagnosis.json</c>, the plots and <c>report.html</c> into <paramref name="folder"/>; returns the report's path.</summary>
    public static string Write(string folder, DiagnosisResult result, string description)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(description);
        Directory.CreateDirectory(folder);
        var json = new JsonObject
        {
            ["summary"] = Summary(result, description),
            ["layers"] = new JsonArray([.. LayerObjects(result)]),
        };
        AtomicFile.WriteText(Path.Combine(folder, "diagnosis.json"), json.ToJsonString(new JsonSerializerOptions(Line) { WriteIndented = true }));
        var plots = new List<(string Title, string Svg)>();
        void Save(Plot plot, string name, string title)
        {
            plot.Title(title);
            plots.Add((title, Path.GetFileName(PlotFiles.Save(plot, Path.Combine(folder, name), 900, 520).Svg)));
        }
        Save(RatePlot(result), "rate_over_time", "Firing rate per layer over time");
        Save(FractionPlot(result), "silent_fraction", "Silent and saturated neurons per layer");
        Save(GradientPlot(result), "gradients", "Weight-gradient norm and mean surrogate derivative per layer");
        string report = Path.Combine(folder, "report.html");
        AtomicFile.WriteText(report, Html(result, description, plots));
        return report;
    }

    private static Plot RatePlot(DiagnosisResult result)
    {
        var plot = new Plot();
        int n = result.Layers.Count;
        var data = new double[n, result.Steps];
        for (int i = 0; i < n; i++)
            for (int t = 0; t < result.Steps; t++) data[i, t] = result.Layers[i].Rate[t];   // row 0 (layer 0) is drawn at the top
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Rectangle = new CoordinateRect(-0.5, result.Steps - 0.5, -0.5, n - 0.5);
        plot.Add.ColorBar(heatmap).Label = "firing rate (spikes per neuron per step)";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, n).Select(i => (double)(n - 1 - i))], [.. result.Layers.Select(l => l.Label)]);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("time step");
        plot.YLabel("layer");
        return plot;
    }

    private static Plot FractionPlot(DiagnosisResult result)
    {
        var plot = new Plot();
        double[] xs = [.. result.Layers.Select(l => (double)l.Layer)];
        var silent = plot.Add.Scatter(xs, [.. result.Layers.Select(l => l.SilentFraction)]);
        silent.LegendText = "silent (never spiked in the run)";
        var saturated = plot.Add.Scatter(xs, [.. result.Layers.Select(l => l.SaturatedFraction)]);
        saturated.LegendText = "saturated (spiked at every step)";
        var rate = plot.Add.Scatter(xs, [.. result.Layers.Select(l => l.MeanRate)]);
        rate.LegendText = "mean firing rate (spikes per neuron per step)";
        rate.MarkerShape = MarkerShape.OpenSquare;
        if (result.FirstSilentLayer is { } s)
        {
            var line = plot.Add.VerticalLine(s);
            line.Color = Colors.Red;
            line.LegendText = $"first silent layer ({s})";
        }
        plot.Axes.SetLimitsY(-0.05, 1.05);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("layer");
        plot.YLabel("fraction of (sample, neuron) pairs");
        plot.ShowLegend(Alignment.MiddleRight);
        return plot;
    }

    private static Plot GradientPlot(DiagnosisResult result)
    {
        var plot = new Plot();
        void Line(Func<LayerDiagnosis, double> value, string legend)
        {
            var points = result.Layers.Select(l => (X: (double)l.Layer, Y: value(l))).Where(p => double.IsFinite(p.Y) && p.Y > 0).ToArray();
            if (points.Length == 0) return;
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray());
            line.LegendText = legend;
        }
        Line(l => l.GradientNorm, "weight-gradient norm ‖∂L/∂W‖");
        Line(l => l.SurrogateMean, "mean surrogate derivative σ′(u − θ)");
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => "1e" + y.ToString("0", Inv),
        };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("layer (zero values are not drawn)");
        plot.YLabel("value (log scale)");
        plot.ShowLegend(Alignment.MiddleRight);
        return plot;
    }

    private static string Html(DiagnosisResult result, string description, List<(string Title, string Svg)> plots)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string G(double x) => double.IsFinite(x) ? x.ToString("G3", Inv) : "-";
        StringBuilder sb = TextTable.HtmlPage("Diagnosis").Append("<p>").Append(E(description)).Append(": ").Append(result.Batch).Append(" samples, ").Append(result.Steps)
          .Append(" steps, cross-entropy ").Append(G(result.Loss)).Append(".</p>");
        Recommendation r = result.Recommendation;
        sb.Append("<h2>Recommendation: ").Append(E(EnumNames.Of(r.Kind))).Append("</h2><p>").Append(E(r.Text)).Append("</p>");
        if (r.Fix is not null) sb.Append("<p>Fix: <code>").Append(E(r.Fix)).Append("</code></p>");
        sb.Append("<p>First silent hidden layer: ").Append(result.FirstSilentLayer?.ToString(Inv) ?? "none").Append(".</p>")
          .Append(Table(result).ToHtml());
        foreach (var (title, svg) in plots)
            sb.Append("<h2>").Append(E(title)).Append("</h2><img src=\"").Append(E(svg)).Append("\" alt=\"").Append(E(title)).Append("\">");
        sb.Append("<p>Data: <a href=\"diagnosis.json\">diagnosis.json</a>.</p></body></html>");
        return sb.ToString();
    }

    /// <summary>One row per layer: label, rate, silent, saturated, membrane mean and σ, θ, surrogate mean, gradient norm.</summary>
    public static TextTable Table(DiagnosisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string G(double x) => double.IsFinite(x) ? x.ToString("G3", Inv) : "-";
        return new TextTable(["layer", "rate", "silent", "saturated", "membrane mean", "membrane σ", "θ", "surrogate mean", "grad norm"],
                             [.. result.Layers.Select(l => (IReadOnlyList<string>)[l.Label + (l.Hidden ? "" : " (output)"), G(l.MeanRate), G(l.SilentFraction),
                                 G(l.SaturatedFraction), G(l.MembraneMean), G(l.MembraneStd), G(l.Threshold), G(l.SurrogateMean), G(l.GradientNorm)])]);
    }

    private static JsonValue? Num(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;
}
