using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpikeInit.IO;

namespace SpikeInit.Sweeps;

/// <summary>
/// Collects every run of a sweep folder into one table: <c>merged.csv</c> and <c>merged.json</c> (one row per run, in run
/// order: grid point, seed, status and the numbers of its <c>summary.json</c>), and <c>report.html</c> with one plot per
/// headline number (mean ± standard deviation over seeds per grid point, each seed a dot); missing and failed runs are listed.
/// </summary>
public static class SweepMerge
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Keys of a summary that are not results: timings, versions, and the configuration echoed back (the grid has it).</summary>
    private static readonly HashSet<string> Skipped = ["wall_seconds", "threads", "seed", "versions", "theta", "beta", "sigma_u", "width", "depth", "steps", "repeats", "batch", "rate"];

    /// <summary>How many numbers get a plot and a column in the printed table: the first ones that differ between runs.</summary>
    public const int Headlines = 4;

    /// <summary>The rows of the sweep in <paramref name="folder"/> (one per planned run) and the metric names in first-seen order.</summary>
    public static (SweepPlan Plan, IReadOnlyList<SweepRow> Rows, IReadOnlyList<string> Metrics) Read(string folder)
    {
        SweepPlan plan = SweepPlan.Load(folder);
        var rows = new List<SweepRow>();
        var names = new List<string>();
        foreach (SweepRun run in plan.Runs)
        {
            string dir = plan.RunFolder(run), summary = Path.Combine(dir, SweepRunner.SummaryFile);
            var metrics = new Dictionary<string, double>();
            string status = File.Exists(Path.Combine(dir, SweepRunner.FailedFile)) ? "failed" : "missing";
            if (File.Exists(summary))
            {
                JsonNode? json;
                try
                {
                    json = JsonNode.Parse(File.ReadAllText(summary));
                }
                catch (JsonException)
                {
                    json = null;
                }
                if (json is null) status = "failed";
                else
                {
                    Metrics(json, "", metrics);
                    status = json["status"] is { } s && (string?)s is { } given && given != "completed" ? given : status == "failed" ? status : "done";
                }
            }
            names.AddRange(metrics.Keys.Where(k => !names.Contains(k)));
            rows.Add(new SweepRow(run, status, metrics));
        }
        return (plan, rows, names);
    }

    /// <summary>
    /// The numbers of a summary, flattened to <c>a.b.c</c> names: a one-element array is transparent (one holding an object
    /// also drops its own name), other arrays are indexed.
    /// </summary>
    public static void Metrics(JsonNode node, string prefix, IDictionary<string, double> into)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(into);
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                    if (value is JsonArray { Count: 1 } single && single[0] is JsonObject element) Metrics(element, prefix, into);   // e.g. a probe's one configuration
                    else if (value is not null && !Skipped.Contains(key)) Metrics(value, prefix.Length == 0 ? key : prefix + "." + key, into);
                break;
            case JsonArray a when a.Count == 1:
                if (a[0] is { } only) Metrics(only, prefix, into);
                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                    if (a[i] is { } item) Metrics(item, prefix + "." + i.ToString(Inv), into);
                break;
            case JsonValue v when v.TryGetValue(out double x) && double.IsFinite(x):
                into[prefix] = x;
                break;
        }
    }

    /// <summary>
    /// Writes <c>merged.csv</c>, <c>merged.json</c>, <c>report.html</c> and its plots into the sweep folder; returns the table
    /// per grid point (mean ± sd over seeds of the headline numbers) and the runs that are missing or failed.
    /// </summary>
    public static (TextTable Table, IReadOnlyList<SweepRow> Incomplete) Write(string folder)
    {
        var (plan, rows, metrics) = Read(folder);
        string[] axes = [.. plan.Grid.Axes.Where(a => !a.Flag && a.Values.Count > 1).Select(a => a.Name)];
        var csv = new StringBuilder().AppendJoin(',', ["run", .. axes, "seed", "status", .. metrics]).Append('\n');
        var json = new JsonArray();
        foreach (SweepRow r in rows)
        {
            csv.AppendJoin(',', [r.Run.Index.ToString(Inv), .. r.Run.Point.Select(p => Csv(p.Value)), r.Run.Seed.ToString(Inv), r.Status,
                                 .. metrics.Select(m => r.Metrics.TryGetValue(m, out double x) ? x.ToString("R", Inv) : "")]).Append('\n');
            var o = new JsonObject { ["run"] = r.Run.Index, ["folder"] = r.Run.Folder };
            foreach (var p in r.Run.Point) o[p.Key] = p.Value;
            o["seed"] = r.Run.Seed;
            o["status"] = r.Status;
            foreach (string m in metrics) o[m] = r.Metrics.TryGetValue(m, out double x) ? x : null;
            json.Add(o);
        }
        AtomicFile.WriteText(Path.Combine(folder, "merged.csv"), csv.ToString());
        AtomicFile.WriteText(Path.Combine(folder, "merged.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        string[] headlines = [.. metrics.Where(m => !m.Any(char.IsDigit) && Values(rows, m).Distinct().Count() > 1).Take(Headlines)];
        var points = rows.GroupBy(r => r.Run.Label).ToList();
        TextTable table = new(["grid point", "runs done", .. headlines.Select(h => h + " (mean ± sd)")],
                              [.. points.Select(g => (IReadOnlyList<string>)[g.Key, $"{g.Count(r => r.Status == "done")}/{g.Count()}",
                                                     .. headlines.Select(h => MeanSd(Values(g, h)))])]);
        var plots = headlines.Select((h, i) => (h, PlotFiles.Save(Figure(plan, points, h), Path.Combine(folder, "sweep_" + i.ToString(Inv)), 1000, 520).Png)).ToList();
        var incomplete = rows.Where(r => r.Status != "done").ToList();
        StringBuilder html = TextTable.HtmlPage($"Sweep: {plan.Describe()}").Append(table.ToHtml());
        if (incomplete.Count > 0)
            html.Append("<h2>Missing or failed runs</h2><ul>").AppendJoin("", incomplete.Select(r => $"<li>{r.Run.Folder}: {WebUtility.HtmlEncode(r.Status)} ({WebUtility.HtmlEncode(r.Run.Label)}, seed {r.Run.Seed})</li>")).Append("</ul>");
        foreach (var (name, png) in plots) html.Append("<h2>").Append(WebUtility.HtmlEncode(name)).Append("</h2><img src=\"").Append(Path.GetFileName(png)).Append("\" alt=\"").Append(WebUtility.HtmlEncode(name)).Append("\">");
        html.Append("<p>Every run: <a href=\"merged.csv\">merged.csv</a>, <a href=\"merged.json\">merged.json</a>; the plan: <a href=\"sweep.json\">sweep.json</a>.</p></body></html>");
        AtomicFile.WriteText(Path.Combine(folder, "report.html"), html.ToString());
        return (table, incomplete);
    }

    private static double[] Values(IEnumerable<SweepRow> rows, string metric) =>
        [.. rows.Where(r => r.Status == "done" && r.Metrics.ContainsKey(metric)).Select(r => r.Metrics[metric])];

    private static string MeanSd(double[] xs) => xs.Length switch
    {
        0 => "",
        1 => xs[0].ToString("G4", Inv),
        _ => $"{xs.Average().ToString("G4", Inv)} ± {Sd(xs).ToString("G2", Inv)}",
    };

    /// <summary>The sample standard deviation (n − 1).</summary>
    private static double Sd(double[] xs)
    {
        double mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1));
    }

    private static ScottPlot.Plot Figure(SweepPlan plan, List<IGrouping<string, SweepRow>> points, string metric)
    {
        var plot = FigureStyle.New($"{plan.Grid.Command} sweep: {metric} per grid point ({plan.Grid.Seeds.Count} seed{(plan.Grid.Seeds.Count > 1 ? "s" : "")})", "grid point", metric);
        ScottPlot.Color color = FigureStyle.ColorOf(0);
        for (int i = 0; i < points.Count; i++)
        {
            double[] ys = Values(points[i], metric);
            if (ys.Length == 0) continue;
            plot.Add.Markers(Enumerable.Repeat(i + 0.15, ys.Length).ToArray(), ys, ScottPlot.MarkerShape.OpenCircle, 5, FigureStyle.ColorOf(1));
            if (ys.Length > 1)
            {
                var bar = plot.Add.Line(i, ys.Average() - Sd(ys), i, ys.Average() + Sd(ys));
                bar.Color = color;
                bar.LineWidth = 2;
            }
            plot.Add.Markers(new[] { (double)i }, new[] { ys.Average() }, ScottPlot.MarkerShape.FilledSquare, 8, color);
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, points.Count).Select(i => (double)i)], [.. points.Select(p => p.Key.Replace(' ', '\n'))]);
        plot.Axes.Bottom.MinimumSize = 60;
        var mean = plot.Add.Markers(Array.Empty<double>(), Array.Empty<double>(), ScottPlot.MarkerShape.FilledSquare, 8, color);
        mean.LegendText = "mean over seeds (bar: ± sd)";
        var seed = plot.Add.Markers(Array.Empty<double>(), Array.Empty<double>(), ScottPlot.MarkerShape.OpenCircle, 5, FigureStyle.ColorOf(1));
        seed.LegendText = "one seed";
        FigureStyle.Legend(plot);
        return plot;
    }

    private static string Csv(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
