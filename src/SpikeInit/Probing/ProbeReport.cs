using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScottPlot;
using SpikeInit.IO;

namespace SpikeInit.Probing;

/// <summary>
/// Writes a probe's results: <c>probe.csv</c> (one row per configuration, layer and time step), <c>gradients.csv</c>,
/// <c>summary.json</c>, PNG and SVG plots, and one <c>report.html</c> that bundles them with the headline table.
/// Every file is written atomically.
/// </summary>
public static class ProbeReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// CSV header of <c>probe.csv</c>. <c>reset</c> is the LIF reset as <c>init --reset</c> names it (empty for models
    /// without one); <c>input</c> is gaussian, poisson or the dataset's name; <c>spike_count</c> is spikes per sample
    /// and <c>membrane_var</c> the membrane variance over the layer's neurons and the batch. With calibration, <c>method</c> is
    /// e.g. <c>kaiming+calibrated</c> and <c>calibrate</c> the target (<c>keep-first</c>, <c>rate:0.2</c>, <c>sigma:1</c>; empty without).
    /// </summary>
    public const string Header =
        "method,neuron,theta,beta,reset,sigma_u,width,depth,input,batch,layer,time,repeats,membrane_mean,membrane_mean_std,membrane_var,membrane_var_std," +
        "skewness,skewness_std,kurtosis,kurtosis_std,firing_rate,firing_rate_std,spike_count,spike_count_std,silent_fraction," +
        "saturated_fraction,theory_membrane_var,theory_firing_rate,calibrate";

    /// <summary>Writes everything into <paramref name="directory"/> and returns the files written.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<ProbeResult> results, long seed, string title,
                                              string? claim = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("nothing to report: no probe results", nameof(results));
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        void Text(string name, string content)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.WriteText(path, content);
            files.Add(path);
        }
        Text("probe.csv", Csv(results));
        if (results.Any(r => r.Gradients.Count > 0)) Text("gradients.csv", GradientCsv(results));
        IReadOnlyList<string> observed = Observations(results);
        Text("summary.json", Summary(results, seed, title, claim, observed));
        var plots = Plots(directory, results);
        files.AddRange(plots.SelectMany(p => new[] { p.Png, p.Svg }));
        Text("report.html", Html(results, seed, title, claim, observed, plots));
        return files;
    }

    /// <summary>The CSV text.</summary>
    public static string Csv(IReadOnlyList<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder(Header).Append('\n');
        foreach (ProbeRow r in results.SelectMany(x => x.Rows))
        {
            ProbeConfiguration c = r.Configuration;
            sb.AppendJoin(',', [
                c.MethodLabel, c.Neuron, N(c.Theta), N(c.Beta), c.ResetName ?? "", N(c.SigmaU), c.Width.ToString(Inv), c.Depth.ToString(Inv),
                InputName(c), c.Batch.ToString(Inv), r.Layer.ToString(Inv), r.Time.ToString(Inv), r.Repeats.ToString(Inv), N(r.MembraneMean), N(r.MembraneMeanStd), N(r.MembraneVar),
                N(r.MembraneVarStd), N(r.Skewness), N(r.SkewnessStd), N(r.Kurtosis), N(r.KurtosisStd), N(r.FiringRate), N(r.FiringRateStd),
                N(r.SpikeCount), N(r.SpikeCountStd), N(r.SilentFraction), N(r.SaturatedFraction), N(r.TheoryMembraneVar), N(r.TheoryFiringRate), c.Calibrate?.ToString() ?? ""]).Append('\n');
        }
        return sb.ToString();
    }

    private static string GradientCsv(IReadOnlyList<ProbeResult> results)
    {
        var sb = new StringBuilder("method,neuron,theta,beta,reset,sigma_u,width,depth,input,batch,layer,surrogate_mean,surrogate_mean_std,weight_grad_norm,weight_grad_norm_std\n");
        foreach (GradientRow g in results.SelectMany(x => x.Gradients))
        {
            ProbeConfiguration c = g.Configuration;
            sb.AppendJoin(',', [c.MethodLabel, c.Neuron, N(c.Theta), N(c.Beta), c.ResetName ?? "", N(c.SigmaU), c.Width.ToString(Inv),
                                c.Depth.ToString(Inv), InputName(c), c.Batch.ToString(Inv), g.Layer.ToString(Inv), N(g.SurrogateMean), N(g.SurrogateMeanStd), N(g.WeightGradNorm),
                                N(g.WeightGradNormStd)]).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>gaussian, poisson or the dataset's name.</summary>
    private static string InputName(ProbeConfiguration c) =>
        c.Input == ProbeInput.Dataset && c.Dataset is not null ? c.Dataset.Name : EnumNames.Of(c.Input);

    /// <summary>Empty for NaN (undefined), else round-trip invariant.</summary>
    private static string N(double x) => double.IsNaN(x) ? "" : x.ToString("R", Inv);

    /// <summary>Headline numbers of a configuration.</summary>
    public sealed record Headline(string Label, double VarianceRatioFirstStep, double VarianceRatioLastStep, double LastLayerRate,
                                  double LastLayerSpikes, int CollapsedRepeats, int Repeats, double Seconds);

    /// <summary>Var[u_L]/Var[u_0] at the first and last step, the last layer's rate, collapsed repeats.</summary>
    public static Headline HeadlineOf(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int last = result.LastLayer, steps = result.Configuration.Steps;
        int first = result.Configuration.Input == ProbeInput.Poisson ? 1 : 0; // layer 0 of Poisson input has no membrane
        double Ratio(int t) => result.At(last, t).MembraneVar / result.At(first, t).MembraneVar;
        return new Headline(result.Configuration.Label, Ratio(0), Ratio(steps - 1),
                            result.Rows.Where(r => r.Layer == last).Average(r => r.FiringRate),
                            result.At(last, steps - 1).SpikeCount, result.CollapsedRepeats, result.Configuration.Repeats, result.Seconds);
    }

    /// <summary>Plain statements of what was measured, per configuration (for time runs: how activity evolves).</summary>
    public static IReadOnlyList<string> Observations(IReadOnlyList<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var lines = new List<string>();
        foreach (ProbeResult r in results)
        {
            Headline h = HeadlineOf(r);
            int L = r.LastLayer, T = r.Configuration.Steps;
            string s = $"{h.Label}: Var[u_{L}]/Var[u_0] = {G(h.VarianceRatioFirstStep)} at t = 0";
            if (T > 1)
            {
                int mid = Math.Min(10, L);
                s += $", {G(h.VarianceRatioLastStep)} at t = {T - 1}; spikes per sample at layer {mid}: " +
                     $"{G(r.At(mid, 0).SpikeCount)} (t = 0) → {G(r.At(mid, T - 1).SpikeCount)} (t = {T - 1}), at layer {L}: " +
                     $"{G(r.At(L, 0).SpikeCount)} → {G(r.At(L, T - 1).SpikeCount)}; Var[u_{L}] {G(r.At(L, 0).MembraneVar)} → {G(r.At(L, T - 1).MembraneVar)}" +
                     $" ({Trend(r.At(L, 0).SpikeCount, r.At(L, T - 1).SpikeCount)} over time)";
            }
            s += $"; {h.CollapsedRepeats} of {h.Repeats} repeats (batch {r.Configuration.Batch}) had a silent layer" +
                 (h.CollapsedRepeats > 0 ? $" (first silent layer per repeat: {SilentLayers(r)})." : ".");
            lines.Add(s);
        }
        return lines;
    }

    /// <summary>The first silent layer of each repeat, "-" for a repeat that did not collapse.</summary>
    private static string SilentLayers(ProbeResult r) =>
        string.Join(", ", r.FirstSilentLayers.Select(l => l is { } x ? x.ToString(Inv) : "-"));

    private static string Trend(double start, double end) =>
        end > 1.1 * start + 1e-9 ? "activity grows" : end < 0.9 * start - 1e-9 ? "activity decays" : "activity stays level";

    /// <summary>The headline per configuration: label, Var[u_L]/Var[u_0] at t = 0 and at the last step, last-layer rate, collapsed repeats, seconds.</summary>
    public static TextTable Table(IReadOnlyList<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new TextTable(["configuration", "Var[u_L]/Var[u_0], t = 0", "Var[u_L]/Var[u_0], last t", "last-layer rate", "collapsed repeats", "seconds"],
                             [.. results.Select(HeadlineOf).Select(h => (IReadOnlyList<string>)[h.Label, G(h.VarianceRatioFirstStep), G(h.VarianceRatioLastStep),
                                 G(h.LastLayerRate), $"{h.CollapsedRepeats} / {h.Repeats}", h.Seconds.ToString("F1", Inv)])]);
    }

    private static string G(double x) => double.IsNaN(x) ? "n/a" : x.ToString("G4", Inv);

    private static string Summary(IReadOnlyList<ProbeResult> results, long seed, string title, string? claim, IReadOnlyList<string> observations)
    {
        var runtime = Runtime.TorchRuntime.Describe();
        var json = new JsonObject
        {
            ["title"] = title,
            ["seed"] = seed,
            ["versions"] = new JsonObject { ["spikeinit"] = runtime.SpikeInitVersion, ["torchsharp"] = runtime.TorchSharpVersion, ["libtorch"] = runtime.LibTorchVersion },
            ["threads"] = runtime.Threads,
            ["configurations"] = new JsonArray([.. results.Select(r =>
            {
                ProbeConfiguration c = r.Configuration;
                Headline h = HeadlineOf(r);
                return (JsonNode)new JsonObject
                {
                    ["label"] = c.Label, ["method"] = c.MethodLabel, ["calibrate"] = c.Calibrate?.ToString(), ["neuron"] = c.Neuron, ["theta"] = c.Theta, ["beta"] = c.Beta, ["reset"] = c.ResetName,
                    ["sigma_u"] = c.SigmaU, ["width"] = c.Width, ["depth"] = c.Depth, ["steps"] = c.Steps, ["repeats"] = c.Repeats, ["batch"] = c.Batch,
                    ["input"] = InputName(c), ["rate"] = c.Input == ProbeInput.Poisson ? c.Rate : null,
                    ["input_mean"] = r.InputStatistics is { } s ? Num(s.Mean) : null, ["input_variance"] = r.InputStatistics is { } v ? Num(v.Variance) : null,
                    ["input_statistics_measured"] = c.Input == ProbeInput.Dataset,
                    ["variance_ratio_first_step"] = Num(h.VarianceRatioFirstStep), ["variance_ratio_last_step"] = Num(h.VarianceRatioLastStep),
                    ["last_layer_rate"] = Num(h.LastLayerRate), ["last_layer_spikes_last_step"] = Num(h.LastLayerSpikes),
                    ["collapsed_repeats"] = h.CollapsedRepeats, ["collapse_fraction"] = Num(r.CollapseFraction),
                    ["first_silent_layer_per_repeat"] = new JsonArray([.. r.FirstSilentLayers.Select(l => (JsonNode?)(l is { } x ? JsonValue.Create(x) : null))]),
                    ["wall_seconds"] = Math.Round(h.Seconds, 3),
                };
            })]),
            ["paper_claim"] = claim,
            ["observations"] = new JsonArray([.. observations.Select(o => (JsonNode?)JsonValue.Create(o))]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonValue? Num(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;

    private sealed record PlotFile(string Title, string Png, string Svg);

    private static List<PlotFile> Plots(string directory, IReadOnlyList<ProbeResult> results)
    {
        var plots = new List<PlotFile>();
        int steps = results.Max(r => r.Configuration.Steps);
        void Save(Plot plot, string name, string title, int width = 900, int height = 560)
        {
            var (png, svg) = PlotFiles.Save(plot, Path.Combine(directory, name), width, height);
            plots.Add(new PlotFile(title, png, svg));
        }
        Save(Lines(results, r => r.MembraneVar, r => r.TheoryMembraneVar, time: 0, log: true, "membrane variance Var[u] at t = 0"),
             "variance_depth", "Membrane variance vs depth at the first step, theory dashed (Micheli Fig. 2/3)");
        if (steps > 1)
            Save(Lines(results, r => r.MembraneVar, null, time: steps - 1, log: true, $"Var[u] at t = {steps - 1}"),
                 "variance_depth_last", $"Membrane variance vs depth at the last step t = {steps - 1}");
        Save(Lines(results, r => r.FiringRate, r => r.TheoryFiringRate, time: -1, log: false, "firing rate (spikes per neuron per step), mean over time"),
             "firing_rate", "Firing rate per layer, theory dashed (Ding Fig. 3)");
        if (steps > 1)
        {
            Save(Lines(results, r => r.Skewness, null, time: steps - 1, log: false, $"skewness of u at t = {steps - 1}"), "skewness", "Skewness of the membrane (Micheli Fig. 7)");
            Save(Lines(results, r => r.Kurtosis, null, time: steps - 1, log: false, $"excess kurtosis of u at t = {steps - 1}"), "kurtosis", "Excess kurtosis of the membrane (Micheli Fig. 7)");
            for (int i = 0; i < Math.Min(results.Count, 8); i++)
            {
                Save(Heatmap(results[i], r => Math.Log10(Math.Max(r.MembraneVar, 1e-12)), "log10 Var[u]"), $"heatmap_variance_{i}", $"log10 Var[u] over layer × time: {results[i].Configuration.Label} (Micheli Fig. 4)");
                Save(Heatmap(results[i], r => r.SpikeCount, "spikes per sample"), $"heatmap_spikes_{i}", $"Spikes per sample over layer × time: {results[i].Configuration.Label} (Micheli Fig. 4)");
            }
        }
        if (results.Any(r => r.Gradients.Count > 0))
        {
            var plot = NewPlot("layer", "mean surrogate derivative (log10)");
            var palette = new ScottPlot.Palettes.Category10();
            for (int i = 0; i < results.Count; i++)
            {
                var g = results[i].Gradients.Where(x => x.SurrogateMean > 0).ToList();
                if (g.Count == 0) continue;
                var line = plot.Add.Scatter(g.Select(x => (double)x.Layer).ToArray(), g.Select(x => Math.Log10(x.SurrogateMean)).ToArray(), palette.GetColor(i));
                line.LegendText = results[i].Configuration.Label;
            }
            LogAxis(plot);
            plot.ShowLegend();
            Save(plot, "surrogate_gradient", "Surrogate-gradient magnitude per layer at initialization (Rossbroich Fig. 4e)");
        }
        return plots;
    }

    private static Plot NewPlot(string x, string y)
    {
        var plot = new Plot();
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    private static void LogAxis(Plot plot) =>
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => "1e" + y.ToString("0", Inv),
        };

    /// <summary>One line per configuration over layers at one time step (−1: mean over time), theory dashed.</summary>
    private static Plot Lines(IReadOnlyList<ProbeResult> results, Func<ProbeRow, double> measured, Func<ProbeRow, double>? theory,
                              int time, bool log, string label)
    {
        var plot = NewPlot("layer", log ? label + " (log10)" : label);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < results.Count; i++)
        {
            ProbeResult r = results[i];
            var layers = r.Rows.GroupBy(x => x.Layer).OrderBy(g => g.Key).ToList();
            ProbeRow[] pick = [.. layers.Select(g => time < 0 ? g.First() : g.First(x => x.Time == Math.Min(time, r.Configuration.Steps - 1)))];
            double Value(Func<ProbeRow, double> f, int layerIndex) => time < 0 ? layers[layerIndex].Average(f) : f(pick[layerIndex]);
            Add(plot, [.. layers.Select(g => (double)g.Key)], [.. layers.Select((_, j) => Value(measured, j))], log, palette.GetColor(i), r.Configuration.Label, dashed: false);
            if (theory is not null)
                Add(plot, [.. layers.Select(g => (double)g.Key)], [.. layers.Select((_, j) => Value(theory, j))], log, palette.GetColor(i), null, dashed: true);
        }
        if (log) LogAxis(plot);
        plot.ShowLegend();
        return plot;
    }

    private static void Add(Plot plot, double[] xs, double[] ys, bool log, Color color, string? legend, bool dashed)
    {
        var points = xs.Zip(ys).Where(p => double.IsFinite(p.Second) && (!log || p.Second > 0)).ToArray();
        if (points.Length == 0) return;
        var line = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => log ? Math.Log10(p.Second) : p.Second).ToArray(), color);
        line.MarkerSize = dashed ? 0 : 3;
        if (dashed) line.LinePattern = LinePattern.Dashed;
        if (legend is not null) line.LegendText = legend;
    }

    private static Plot Heatmap(ProbeResult result, Func<ProbeRow, double> value, string label)
    {
        int layers = result.LastLayer + 1, steps = result.Configuration.Steps;
        var data = new double[layers, steps];
        foreach (ProbeRow r in result.Rows) data[layers - 1 - r.Layer, r.Time] = double.IsFinite(value(r)) ? value(r) : double.NaN;
        var plot = NewPlot("time step", "layer");
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = label;
        return plot;
    }

    private static string Html(IReadOnlyList<ProbeResult> results, long seed, string title, string? claim, IReadOnlyList<string> observations,
                               List<PlotFile> plots)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var runtime = Runtime.TorchRuntime.Describe();
        StringBuilder sb = TextTable.HtmlPage(title)
          .Append("<p>SpikeInit ").Append(E(runtime.SpikeInitVersion)).Append(", TorchSharp ").Append(E(runtime.TorchSharpVersion)).Append(", libtorch ")
          .Append(E(runtime.LibTorchVersion)).Append(", ").Append(runtime.Threads).Append(" threads, seed ").Append(seed).Append(".</p>")
          .Append("<h2>Headline</h2>").Append(Table(results).ToHtml());
        sb.Append("<h2>Collapse per repeat</h2><p>A repeat collapses when some layer emits no spike at all over the T steps and the batch; ")
          .Append("a batch of several samples pools them and hides collapses, so finite-size runs use batch 1 (Micheli et al.'s protocol).</p>")
          .Append("<table><tr><th>configuration</th><th>batch</th><th>collapsed repeats</th><th>first silent layer per repeat (- = none)</th></tr>");
        foreach (ProbeResult r in results)
            sb.Append("<tr><td>").Append(E(r.Configuration.Label)).Append("</td><td>").Append(r.Configuration.Batch).Append("</td><td>")
              .Append(r.CollapsedRepeats).Append(" / ").Append(r.Configuration.Repeats).Append("</td><td>").Append(E(SilentLayers(r))).Append("</td></tr>");
        sb.Append("</table>");
        if (claim is not null) sb.Append("<h2>The paper's claim</h2><p>").Append(E(claim)).Append("</p>");
        sb.Append("<h2>What SpikeInit measured</h2><ul>");
        foreach (string o in observations) sb.Append("<li>").Append(E(o)).Append("</li>");
        sb.Append("</ul><p>Theory lines (dashed) are the initializer's predictions: the first time step for discrete neurons, the free membrane for current-based ones.</p>");
        foreach (PlotFile p in plots)
            sb.Append("<h2>").Append(E(p.Title)).Append("</h2><img src=\"").Append(E(Path.GetFileName(p.Svg))).Append("\" alt=\"").Append(E(p.Title)).Append("\">");
        sb.Append("<p>Data: <a href=\"probe.csv\">probe.csv</a>, <a href=\"summary.json\">summary.json</a>.</p></body></html>");
        return sb.ToString();
    }
}
