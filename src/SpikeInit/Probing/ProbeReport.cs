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

    /// <summary>
    /// Writes everything into <paramref name="directory"/> and returns the files written; without <paramref name="plots"/>
    /// only the tables and the report (a sweep of many runs merges their summaries and plots once).
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<ProbeResult> results, long seed, string title,
                                              string? claim = null, bool plots = true)
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
        var figures = plots ? Plots(directory, results) : [];
        files.AddRange(figures.SelectMany(p => new[] { p.Png, p.Svg }));
        Text("report.html", Html(results, seed, title, claim, observed, figures));
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

    /// <summary>A figure of the report before it is saved: file name (without extension), title and the plot.</summary>
    internal sealed record Figure(string Name, string Title, Plot Plot);

    private static List<PlotFile> Plots(string directory, IReadOnlyList<ProbeResult> results) =>
        [.. Figures(results).Select(f =>
        {
            var (png, svg) = PlotFiles.Save(f.Plot, Path.Combine(directory, f.Name), f.Plot.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>().Any() ? 900 : 1100, 560);
            return new PlotFile(f.Title, png, svg);
        })];

    /// <summary>
    /// Every figure of the report: variance over depth (t = 0 and the last step), firing rate (t = 0 against the first-step
    /// theory; the time average against a stationary theory), skewness and kurtosis, per-configuration heatmaps named by
    /// configuration, and the surrogate gradient. Measured lines are means over repeats with a mean ± std band, theory is dashed,
    /// collapsed repeats are crosses at their first silent layer.
    /// </summary>
    internal static IReadOnlyList<Figure> Figures(IReadOnlyList<ProbeResult> results)
    {
        var figures = new List<Figure>();
        int steps = results.Max(r => r.Configuration.Steps);
        int repeats = results.Max(r => r.Configuration.Repeats);
        string band = $"band: mean ± std over repeats ({repeats})";
        void Add(string name, string title, Plot plot) => figures.Add(new Figure(name, title, plot));

        Add("variance_depth", "Membrane variance vs depth at t = 0 (Micheli Fig. 2/3)",
            Lines(results, "Membrane variance vs depth at t = 0", "Var[u] at t = 0 (membrane units², log scale)", r => r.MembraneVar, r => r.MembraneVarStd,
                  r => r.TheoryMembraneVar, "first-step theory (dashed)", _ => true, time: 0, log: true, band));
        if (steps > 1)
            Add("variance_depth_last", $"Membrane variance vs depth at the last step t = {steps - 1}",
                Lines(results, $"Membrane variance vs depth at the last step t = {steps - 1}", $"Var[u] at t = {steps - 1} (membrane units², log scale)",
                      r => r.MembraneVar, r => r.MembraneVarStd, null, null, _ => false, time: steps - 1, log: true, band));
        string rateAxis = "firing rate (spikes per neuron per step)";
        Add("firing_rate", "Firing rate per layer at t = 0: measured vs first-step theory (Ding Fig. 3)",
            Lines(results, "Firing rate per layer at t = 0 (first step from rest)", rateAxis + ", t = 0", r => r.FiringRate, r => r.FiringRateStd,
                  r => r.TheoryFiringRate, "first-step theory (dashed)", r => !r.StationaryTheory, time: 0, log: false, band));
        if (steps > 1 || results.Any(r => r.StationaryTheory))
            Add("firing_rate_mean", $"Firing rate per layer averaged over t = 0 … {steps - 1}: measured vs stationary theory",
                Lines(results, $"Firing rate per layer, time average over t = 0 … {steps - 1}", rateAxis + ", mean over time", r => r.FiringRate, r => r.FiringRateStd,
                      r => r.TheoryFiringRate, "stationary theory (dashed)", r => r.StationaryTheory, time: -1, log: false, band));
        if (steps > 1)
        {
            Add("skewness", $"Skewness of the membrane at t = {steps - 1} (Micheli Fig. 7)",
                Lines(results, $"Skewness of the membrane at t = {steps - 1}", $"skewness of u at t = {steps - 1} (dimensionless)", r => r.Skewness, r => r.SkewnessStd,
                      null, null, _ => false, time: steps - 1, log: false, band));
            Add("kurtosis", $"Excess kurtosis of the membrane at t = {steps - 1} (Micheli Fig. 7)",
                Lines(results, $"Excess kurtosis of the membrane at t = {steps - 1}", $"excess kurtosis of u at t = {steps - 1} (dimensionless)", r => r.Kurtosis, r => r.KurtosisStd,
                      null, null, _ => false, time: steps - 1, log: false, band));
            IReadOnlyList<string> names = FileNames(results);
            for (int i = 0; i < Math.Min(results.Count, 8); i++)
            {
                string label = results[i].Configuration.Label;
                Add($"heatmap_variance_{names[i]}", $"log10 Var[u] over layer × time: {label} (Micheli Fig. 4)",
                    Heatmap(results[i], r => r.MembraneVar > 0 ? Math.Log10(r.MembraneVar) : double.NaN, $"log10 Var[u]: {label}", "log10 Var[u] (blank: no membrane or Var[u] = 0)"));
                Add($"heatmap_spikes_{names[i]}", $"Spikes per sample over layer × time: {label} (Micheli Fig. 4)",
                    Heatmap(results[i], r => r.SpikeCount, $"Spikes per sample: {label}", "spikes per sample (whole layer, one step)"));
            }
        }
        if (results.Any(r => r.Gradients.Count > 0))
        {
            var plot = FigureStyle.New("Mean surrogate derivative per layer at initialization", "layer", "mean surrogate derivative σ′(u − θ) (log scale)");
            var measured = new List<double>();
            for (int i = 0; i < results.Count; i++)
            {
                var g = results[i].Gradients;
                if (g.Count == 0) continue;
                double[] xs = [.. g.Select(x => (double)x.Layer)], ys = [.. g.Select(x => x.SurrogateMean)];
                measured.AddRange(ys);
                FigureStyle.Band(plot, xs, [.. g.Select(x => x.SurrogateMean - x.SurrogateMeanStd)], [.. g.Select(x => x.SurrogateMean + x.SurrogateMeanStd)], FigureStyle.ColorOf(i), log: true);
                FigureStyle.Measured(plot, xs, ys, FigureStyle.ColorOf(i), results[i].Configuration.Label, log: true);
            }
            FigureStyle.AddBandLegend(plot, band);
            FinishAxes(plot, measured, log: true);
            Add("surrogate_gradient", "Surrogate-gradient magnitude per layer at initialization (Rossbroich Fig. 4e)", plot);
        }
        return figures;
    }

    /// <summary>
    /// File-name parts per configuration: the method, followed by the parts of the label that differ between the
    /// configurations of the same method (e.g. <c>micheli</c>, <c>kaiming_beta0.9</c>); unique and safe as file names.
    /// </summary>
    public static IReadOnlyList<string> FileNames(IReadOnlyList<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        string[][] tokens = [.. results.Select(r => r.Configuration.Label.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        string[] names = [.. tokens.Select(t =>
        {
            string[][] same = [.. tokens.Where(o => o[0] == t[0])];
            return Safe(string.Join('_', t.Take(1).Concat(t.Skip(1).Where(x => !same.All(o => o.Contains(x))))));
        })];
        return [.. names.Select((n, i) => names.Count(x => x == n) > 1 ? $"{n}_{i}" : n)];
    }

    private static string Safe(string s) =>
        new([.. s.Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '_' or '+' ? ch : ch == '=' ? '\0' : '_').Where(ch => ch != '\0')]);

    /// <summary>Axis limits from the measured values (the theory never sets them), integer layer ticks, log ticks, legend right.</summary>
    private static void FinishAxes(Plot plot, IEnumerable<double> measured, bool log)
    {
        FigureStyle.IntegerTicks(plot.Axes.Bottom);
        if (log)
        {
            FigureStyle.LogTicks(plot.Axes.Left);
            if (FigureStyle.LogLimits(measured) is { } lim) plot.Axes.SetLimitsY(lim.Min, lim.Max);
        }
        else if (FigureStyle.LinearLimits(measured) is { } lim) plot.Axes.SetLimitsY(lim.Min, lim.Max);
        FigureStyle.Legend(plot);
    }

    /// <summary>
    /// One line per configuration over layers at one time step (−1: mean over time) with a mean ± std band over repeats,
    /// the theory dashed for the configurations <paramref name="theoryApplies"/> to, and a cross where repeats went silent.
    /// The y limits come from the measured values and their bands only.
    /// </summary>
    private static Plot Lines(IReadOnlyList<ProbeResult> results, string title, string yLabel, Func<ProbeRow, double> measured, Func<ProbeRow, double> spread,
                              Func<ProbeRow, double>? theory, string? theoryLegend, Func<ProbeResult, bool> theoryApplies, int time, bool log, string band)
    {
        var plot = FigureStyle.New(title, "layer", yLabel);
        var shown = new List<double>();
        var silentAt = new List<(double Layer, int Config)>();
        bool anyTheory = false;
        for (int i = 0; i < results.Count; i++)
        {
            ProbeResult r = results[i];
            Color color = FigureStyle.ColorOf(i);
            var layers = r.Rows.GroupBy(x => x.Layer).OrderBy(g => g.Key).ToList();
            double Value(Func<ProbeRow, double> f, IGrouping<int, ProbeRow> g) =>
                time < 0 ? g.Average(f) : f(g.First(x => x.Time == Math.Min(time, r.Configuration.Steps - 1)));
            double[] xs = [.. layers.Select(g => (double)g.Key)];
            double[] ys = [.. layers.Select(g => Value(measured, g))], sd = [.. layers.Select(g => Value(spread, g))];
            double[] lower = [.. ys.Zip(sd, (y, s) => y - s)], upper = [.. ys.Zip(sd, (y, s) => y + s)];
            shown.AddRange(ys);
            shown.AddRange(upper);
            if (!log) shown.AddRange(lower);
            FigureStyle.Band(plot, xs, lower, upper, color, log);
            int collapsed = r.FirstSilentLayers.Count(l => l is not null);
            FigureStyle.Measured(plot, xs, ys, color, r.Configuration.Label + (collapsed > 0 ? $" ({collapsed}/{r.Configuration.Repeats} collapsed)" : ""), log);
            if (theory is not null && theoryApplies(r))
            {
                double[] predicted = [.. layers.Select(g => Value(theory, g))];
                FigureStyle.Theory(plot, xs, predicted, color, log);
                if (!log) shown.AddRange(predicted); // a linear axis shows the theory too; a log axis is limited to the measurements
                anyTheory = true;
            }
            silentAt.AddRange(r.FirstSilentLayers.OfType<int>().Select(l => ((double)l, i)));
        }
        FinishAxes(plot, shown, log);
        if (silentAt.Count > 0)
        {
            // crosses at the bottom of the axis, at each repeat's first silent layer (a silent layer has no membrane variance to draw)
            double bottom = plot.Axes.GetLimits().Bottom;
            for (int i = 0; i < results.Count; i++)
            {
                double[] at = [.. silentAt.Where(s => s.Config == i).Select(s => s.Layer)];
                FigureStyle.Crosses(plot, at, [.. at.Select(_ => bottom)], FigureStyle.ColorOf(i), null);
            }
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"first silent layer of a collapsed repeat ({silentAt.Count} of {results.Sum(r => r.Configuration.Repeats)} repeats)",
                MarkerShape = MarkerShape.Eks, MarkerLineColor = Colors.Black, MarkerSize = 10, LineColor = Colors.Transparent,
            });
        }
        if (anyTheory) FigureStyle.AddTheoryLegend(plot, theoryLegend!);
        FigureStyle.AddBandLegend(plot, band);
        return plot;
    }

    private static Plot Heatmap(ProbeResult result, Func<ProbeRow, double> value, string title, string label)
    {
        int layers = result.LastLayer + 1, steps = result.Configuration.Steps;
        var data = new double[layers, steps];
        foreach (ProbeRow r in result.Rows) data[layers - 1 - r.Layer, r.Time] = double.IsFinite(value(r)) ? value(r) : double.NaN;
        var plot = FigureStyle.New(title, "time step t", "layer (0 = encoder or input)");
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Rectangle = new CoordinateRect(-0.5, steps - 0.5, -0.5, layers - 0.5);
        plot.Add.ColorBar(heatmap).Label = label;
        FigureStyle.IntegerTicks(plot.Axes.Bottom);
        FigureStyle.IntegerTicks(plot.Axes.Left);
        plot.Axes.SetLimits(-0.5, steps - 0.5, -0.5, layers - 0.5);
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
