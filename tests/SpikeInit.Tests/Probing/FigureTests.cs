using ScottPlot;
using SpikeInit.IO;
using SpikeInit.Plotting;
using SpikeInit.Probing;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>The figures a paper could use: titles, labels with units, legends that explain styles, limits from the data, names by configuration.</summary>
public sealed class FigureTests() : TempFolderTest("spikeinit-figures-")
{
    private static ProbeResult Probe(string method, double theta = 1, double beta = 0.5, string neuron = "lif", int depth = 8, int steps = 3) =>
        SpikeInit.Probing.Probe.Run(new ProbeConfiguration { Method = method, Theta = theta, Beta = beta, Neuron = neuron, Width = 100, Depth = depth, Steps = steps, Repeats = 2, Batch = 4 }, 3);

    private static ProbeReport.Figure Get(IReadOnlyList<ProbeReport.Figure> figures, string name) => figures.Single(f => f.Name == name);

    [Fact]
    public void Every_probe_figure_has_a_title_axis_labels_and_a_legend_that_explains_theory_and_bands()
    {
        var figures = ProbeReport.Figures([Probe("micheli"), Probe("kaiming")]);
        Assert.Contains(figures, f => f.Name == "firing_rate_mean");
        foreach (var f in figures)
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Plot.Axes.Title.Label.Text), f.Name);
            Assert.False(string.IsNullOrWhiteSpace(f.Plot.Axes.Bottom.Label.Text), f.Name);
            Assert.False(string.IsNullOrWhiteSpace(f.Plot.Axes.Left.Label.Text), f.Name);
        }
        IReadOnlyList<string> legend = FigureStyle.LegendTexts(Get(figures, "variance_depth").Plot);
        Assert.Contains("first-step theory (dashed)", legend);
        Assert.Contains(legend, t => t.StartsWith("band: mean ± std over repeats", StringComparison.Ordinal));
        Assert.Contains("t = 0", Get(figures, "firing_rate").Plot.Axes.Title.Label.Text);
        // the LIF theory is a first step from rest: it is drawn against t = 0, never against the time average
        Assert.DoesNotContain(FigureStyle.LegendTexts(Get(figures, "firing_rate_mean").Plot), t => t.Contains("theory", StringComparison.Ordinal));
    }

    [Fact]
    public void Heatmaps_are_named_by_method_and_by_what_differs_within_a_method()
    {
        var micheli = Probe("micheli");
        var kaiming = Probe("kaiming");
        Assert.Equal(["micheli", "kaiming"], ProbeReport.FileNames([micheli, kaiming]));
        Assert.Equal(["micheli_beta0.5", "micheli_beta0.9", "kaiming"], ProbeReport.FileNames([micheli, Probe("micheli", beta: 0.9), kaiming]));
        ProbeReport.Write(dir, [micheli, kaiming], 3, "test");
        foreach (string f in new[] { "heatmap_variance_micheli.png", "heatmap_spikes_kaiming.svg" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        Assert.False(File.Exists(Path.Combine(dir, "heatmap_variance_0.png")));
    }

    [Fact]
    public void The_variance_axis_is_limited_to_the_measurements_and_collapsed_repeats_are_marked()
    {
        // kaiming at theta = 1 collapses within a few layers; its first-step theory falls far below what was measured
        var r = Probe("kaiming", depth: 20, steps: 1);
        Assert.True(r.CollapsedRepeats > 0);
        double theoryMin = r.Rows.Select(x => x.TheoryMembraneVar).Where(v => v > 0).Min();
        double measuredMin = r.Rows.Select(x => x.MembraneVar).Where(v => v > 0).Min();
        Assert.True(theoryMin < 0.1 * measuredMin, $"theory {theoryMin:G3}, measured {measuredMin:G3}");
        Plot plot = Get(ProbeReport.Figures([r]), "variance_depth").Plot;
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.InRange(limits.Bottom, Math.Log10(measuredMin) - 0.5, Math.Log10(measuredMin)); // not down at the theory's log10(theoryMin)
        IReadOnlyList<string> legend = FigureStyle.LegendTexts(plot);
        Assert.Contains(legend, t => t.Contains($"({r.CollapsedRepeats}/2 collapsed)", StringComparison.Ordinal));
        Assert.Contains(legend, t => t.StartsWith("first silent layer of a collapsed repeat", StringComparison.Ordinal));
    }

    [Fact]
    public void K_lambda_labels_say_k_and_their_stationary_rate_is_drawn_against_the_time_average()
    {
        var r = Probe("asymptote", beta: 0.8, neuron: "klambda", depth: 4, steps: 4);
        Assert.Contains("k=0.8", r.Configuration.Label);
        Assert.DoesNotContain("beta", r.Configuration.Label);
        Assert.True(r.StationaryTheory);
        var figures = ProbeReport.Figures([r]);
        Assert.Contains("stationary theory (dashed)", FigureStyle.LegendTexts(Get(figures, "firing_rate_mean").Plot));
        Assert.DoesNotContain(FigureStyle.LegendTexts(Get(figures, "firing_rate").Plot), t => t.Contains("theory", StringComparison.Ordinal));
    }

    [Fact]
    public void Learning_curves_show_loss_and_accuracy_per_integer_epoch_and_spread_over_seeds()
    {
        static EpochMetrics E(int epoch, double loss, double acc) => new(epoch, epoch * 10, 0.01, loss, acc, loss, acc, double.NaN, double.NaN, [], 1);
        EpochMetrics[] history = [E(0, 2.3, 0.1), E(1, 1.5, 0.4), E(2, 1.1, 0.6)];
        Plot plot = TrainingReport.LearningCurves(history, "randman");
        IReadOnlyList<string> legend = FigureStyle.LegendTexts(plot);
        Assert.Contains("train accuracy", legend);
        Assert.Contains("train loss (right axis)", legend);
        Assert.Contains("loss", plot.Axes.Right.Label.Text);
        Assert.True(plot.Axes.Bottom.TickGenerator is ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly: true });
        var summary = new TrainingSummary(TrainingStatus.Completed, null, 0.6, 0.6, null, 3, 3, history);
        var summary2 = summary with { History = [E(0, 2.2, 0.2), E(1, 1.4, 0.5), E(2, 1.0, 0.7)] };
        Plot compare = ComparisonReport.LearningCurves([new ComparisonResult("micheli", 1, summary, []), new ComparisonResult("micheli", 2, summary2, [])], "mlp");
        legend = FigureStyle.LegendTexts(compare);
        Assert.Contains("micheli accuracy (2 seeds)", legend);
        Assert.Contains(legend, t => t.StartsWith("band: min–max", StringComparison.Ordinal));
        Assert.Contains("micheli train loss (right axis)", legend);
    }

    [Fact]
    public void Log_limits_come_from_positive_measurements_with_a_margin()
    {
        var lim = FigureStyle.LogLimits([1e-3, 0, double.NaN, 1]);
        Assert.NotNull(lim);
        Assert.InRange(lim.Value.Min, -3.5, -3.1);
        Assert.InRange(lim.Value.Max, 0.1, 0.5);
        Assert.Null(FigureStyle.LogLimits([0, -1]));
    }

    [Fact]
    public void Raster_and_membrane_of_a_network_run_write_png_and_svg()
    {
        var c = new ProbeConfiguration { Method = "micheli", Width = 30, Depth = 3, Steps = 6, Repeats = 1, Batch = 2 };
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        using var net = SpikingNetwork.Create(c.Network(), generator);
        NetworkRun run = net.Run(randn([2, 30], generator: generator), 6, Recording.All);
        Directory.CreateDirectory(dir);
        var raster = Plots.Raster(run, Path.Combine(dir, "raster"), sample: 1);
        var membrane = Plots.Membrane(run, 2, Path.Combine(dir, "membrane"));
        foreach (string f in new[] { raster.Png, raster.Svg, membrane.Png, membrane.Svg })
            Assert.True(new FileInfo(f).Length > 1000, f);
        NetworkRun spikesOnly = net.Run(randn([2, 30], generator: generator), 6, Recording.Spikes);
        Assert.Throws<ArgumentException>(() => Plots.Membrane(spikesOnly, 0, Path.Combine(dir, "m2")));
        Assert.Throws<ArgumentException>(() => Plots.Raster(run, Path.Combine(dir, "r2"), sample: 2));
        var files = ProbeRaster.Write(dir, [SpikeInit.Probing.Probe.Run(c, 1)], 1);
        Assert.Contains(Path.Combine(dir, "raster_micheli.png"), files);
        Assert.Contains(Path.Combine(dir, "membrane_micheli_last.svg"), files);
    }
}
