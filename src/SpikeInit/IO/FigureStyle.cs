using System.Globalization;
using ScottPlot;

namespace SpikeInit.IO;

/// <summary>
/// The one style of SpikeInit's figures: a title and axis labels with units on every plot, measured lines solid with
/// markers, theory dashed (one legend entry "theory (dashed)"), spread over repeats as a translucent band (the legend
/// says which spread), collapsed runs as a cross where they went silent (the legend counts them), log axes drawn as
/// log10 with "1eN" ticks and limited to the measured data, integer ticks on discrete axes (layers, epochs, steps).
/// </summary>
public static class FigureStyle
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The legend entry of dashed theory lines.</summary>
    public const string TheoryLegend = "theory (dashed)";

    /// <summary>Colors of configurations, in order (Category10).</summary>
    public static Color ColorOf(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    /// <summary>A plot with a title and both axis labels (with units).</summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, 14);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        return plot;
    }

    /// <summary>Integer-only ticks on <paramref name="axis"/> (layers, epochs, time steps).</summary>
    public static void IntegerTicks(IAxis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    }

    /// <summary>A measured line (solid, small markers); non-finite points (and non-positive ones on a log axis) are left out.</summary>
    public static ScottPlot.Plottables.Scatter? Measured(Plot plot, double[] xs, double[] ys, Color color, string? legend, bool log = false)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var points = Points(xs, ys, log);
        if (points.Length == 0) return null;
        var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
        line.MarkerSize = 4;
        line.LineWidth = 1.5f;
        if (legend is not null) line.LegendText = legend;
        return line;
    }

    /// <summary>A theory line (dashed, no markers, no legend entry of its own: see <see cref="AddTheoryLegend"/>).</summary>
    public static void Theory(Plot plot, double[] xs, double[] ys, Color color, bool log = false)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var points = Points(xs, ys, log);
        if (points.Length == 0) return;
        var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
        line.MarkerSize = 0;
        line.LinePattern = LinePattern.Dashed;
    }

    /// <summary>Adds one legend entry (a black line of <paramref name="pattern"/>) that explains a line style, e.g. "theory (dashed)".</summary>
    public static void AddTheoryLegend(Plot plot, string text = TheoryLegend, LinePattern? pattern = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = text, LineColor = Colors.Black, LinePattern = pattern ?? LinePattern.Dashed, LineWidth = 1.5f, MarkerShape = MarkerShape.None,
        });
    }

    /// <summary>
    /// A translucent band between <paramref name="lower"/> and <paramref name="upper"/> (e.g. mean ± std over repeats);
    /// points where either bound is not finite (or not positive on a log axis) are left out.
    /// </summary>
    public static void Band(Plot plot, double[] xs, double[] lower, double[] upper, Color color, bool log = false)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(xs);
        var keep = Enumerable.Range(0, xs.Length).Where(i => Usable(lower[i], log) && Usable(upper[i], log) && upper[i] > lower[i]).ToArray();
        if (keep.Length < 2) return;
        double Y(double v) => log ? Math.Log10(v) : v;
        var fill = plot.Add.FillY(keep.Select(i => xs[i]).ToArray(), keep.Select(i => Y(lower[i])).ToArray(), keep.Select(i => Y(upper[i])).ToArray());
        fill.FillColor = color.WithAlpha(0.18);
        fill.LineColor = Colors.Transparent;
    }

    /// <summary>Adds the legend entry of bands, e.g. "band: mean ± std over 3 repeats".</summary>
    public static void AddBandLegend(Plot plot, string text)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = text, FillColor = Colors.Gray.WithAlpha(0.35), LineColor = Colors.Transparent });
    }

    /// <summary>A cross (×) marker at each point, e.g. where a run went silent; the legend text (if any) should count them.</summary>
    public static void Crosses(Plot plot, double[] xs, double[] ys, Color color, string? legend)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (xs.Length == 0) return;
        var markers = plot.Add.Markers(xs, ys, MarkerShape.Eks, 11, color);
        markers.MarkerLineWidth = 2.5f;
        if (legend is not null) markers.LegendText = legend;
    }

    /// <summary>
    /// log10 limits of a log axis from the measured values only (positive and finite ones), widened by
    /// <paramref name="marginDecades"/> on each side, so that a theory line that runs to 1e-40 does not squash the data;
    /// null when nothing measured is positive.
    /// </summary>
    public static (double Min, double Max)? LogLimits(IEnumerable<double> measured, double marginDecades = 0.25)
    {
        ArgumentNullException.ThrowIfNull(measured);
        double[] logs = [.. measured.Where(v => double.IsFinite(v) && v > 0).Select(Math.Log10)];
        if (logs.Length == 0) return null;
        double lo = logs.Min(), hi = logs.Max();
        double margin = Math.Max(marginDecades, (hi - lo) * 0.05);
        return (lo - margin, hi + margin);
    }

    /// <summary>Linear limits from the measured values with a 5 % margin (at least <paramref name="minSpan"/> wide); null when none are finite.</summary>
    public static (double Min, double Max)? LinearLimits(IEnumerable<double> measured, double minSpan = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(measured);
        double[] v = [.. measured.Where(double.IsFinite)];
        if (v.Length == 0) return null;
        double lo = v.Min(), hi = v.Max(), span = Math.Max(hi - lo, minSpan), margin = 0.05 * span;
        if (hi - lo < minSpan) (lo, hi) = ((lo + hi) / 2 - minSpan / 2, (lo + hi) / 2 + minSpan / 2);
        return (lo - margin, hi + margin);
    }

    /// <summary>A log10 axis: values are plotted as log10(v) and labelled "1eN", with log-spaced minor ticks.</summary>
    public static void LogTicks(IAxis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => "1e" + y.ToString("0", Inv),
        };
    }

    /// <summary>Shows the legend outside the data area (right of the plot), so it never hides a line.</summary>
    public static void Legend(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.ShowLegend(Edge.Right);
    }

    /// <summary>The texts of the legend: each plottable's legend text and the manual entries (for tests and reports).</summary>
    public static IReadOnlyList<string> LegendTexts(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        return [.. plot.Legend.GetItems().Select(i => i.LabelText).Where(t => !string.IsNullOrEmpty(t))];
    }

    private static (double X, double Y)[] Points(double[] xs, double[] ys, bool log) =>
        [.. xs.Zip(ys).Where(p => Usable(p.Second, log)).Select(p => (p.First, log ? Math.Log10(p.Second) : p.Second))];

    private static bool Usable(double v, bool log) => double.IsFinite(v) && (!log || v > 0);
}
