using ScottPlot;
using SpikeInit.IO;
using SpikeInit.Networks;
using static TorchSharp.torch;

namespace SpikeInit.Plotting;

/// <summary>
/// Pictures of one network run (<see cref="SpikingNetwork.Run"/> with a <see cref="Recording"/>): a spike raster of every
/// recorded layer and the membrane traces of one layer, each written as PNG and SVG (<see cref="PlotFiles"/>).
/// </summary>
public static class Plots
{
    /// <summary>
    /// Spike raster of sample <paramref name="sample"/>: time step on x, one row per neuron (the first
    /// <paramref name="neuronsPerLayer"/> of each recorded layer, layers stacked from the bottom), one dot per spike.
    /// Needs <see cref="Recording.Spikes"/>. Returns the PNG and SVG paths.
    /// </summary>
    public static (string Png, string Svg) Raster(NetworkRun run, string pathWithoutExtension, int sample = 0, int neuronsPerLayer = 50, string? title = null)
    {
        Plot plot = RasterPlot(run, sample, neuronsPerLayer, title);
        return PlotFiles.Save(plot, pathWithoutExtension, 1000, 80 + Math.Min(900, 40 + 14 * run.Layers.Count + 3 * Rows(run, neuronsPerLayer)));
    }

    /// <summary>
    /// Membrane traces of sample <paramref name="sample"/> in layer <paramref name="layer"/> (index into <see cref="NetworkRun.Layers"/>):
    /// u over time for its first <paramref name="neurons"/> neurons, the threshold θ dashed, a dot where a neuron spiked.
    /// Needs <see cref="Recording.Membranes"/> (and <see cref="Recording.Spikes"/> for the dots). Returns the PNG and SVG paths.
    /// </summary>
    public static (string Png, string Svg) Membrane(NetworkRun run, int layer, string pathWithoutExtension, int sample = 0, int neurons = 5, string? title = null) =>
        PlotFiles.Save(MembranePlot(run, layer, sample, neurons, title), pathWithoutExtension, 1000, 520);

    /// <summary>The raster as a plot (see <see cref="Raster"/>).</summary>
    internal static Plot RasterPlot(NetworkRun run, int sample, int neuronsPerLayer, string? title)
    {
        ArgumentNullException.ThrowIfNull(run);
        Validate.AtLeast(neuronsPerLayer, "neurons per layer", 1);
        if (run.Layers.Count == 0 || run.Layers.Any(l => l.Spikes is null))
            throw new ArgumentException("the run recorded no spikes: run the network with Recording.Spikes (or Recording.All)", nameof(run));
        var plot = FigureStyle.New(title ?? $"Spike raster of sample {sample}", "time step t", "neuron (first ones of each layer; layers stacked)");
        int offset = 0;
        var ticks = new List<(double Y, string Label)>();
        for (int i = 0; i < run.Layers.Count; i++)
        {
            LayerRecord layer = run.Layers[i];
            float[,] s = Slice(layer.Spikes!, sample, neuronsPerLayer);
            int steps = s.GetLength(0), n = s.GetLength(1);
            var xs = new List<double>();
            var ys = new List<double>();
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < n; j++)
                    if (s[t, j] != 0) { xs.Add(t); ys.Add(offset + j); }
            if (xs.Count > 0) plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledSquare, 3, FigureStyle.ColorOf(i));
            ticks.Add((offset + (n - 1) / 2.0, $"layer {layer.Name} ({xs.Count} spikes)"));
            if (i > 0) plot.Add.HorizontalLine(offset - 0.5, 1, Colors.Gray.WithAlpha(0.6));
            offset += n;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(t => t.Y)], [.. ticks.Select(t => t.Label)]);
        FigureStyle.IntegerTicks(plot.Axes.Bottom);
        int stepsTotal = (int)run.Layers[0].Spikes!.shape[0];
        plot.Axes.SetLimits(-0.5, stepsTotal - 0.5, -0.5, offset - 0.5);
        return plot;
    }

    /// <summary>The membrane traces as a plot (see <see cref="Membrane"/>).</summary>
    internal static Plot MembranePlot(NetworkRun run, int layer, int sample, int neurons, string? title)
    {
        ArgumentNullException.ThrowIfNull(run);
        Validate.AtLeast(neurons, "neurons", 1);
        if (layer < 0 || layer >= run.Layers.Count)
            throw new ArgumentException($"layer {layer} is not a recorded layer (0 … {run.Layers.Count - 1})", nameof(layer));
        LayerRecord record = run.Layers[layer];
        if (record.Membrane is null)
            throw new ArgumentException("the run recorded no membranes: run the network with Recording.Membranes (or Recording.All)", nameof(run));
        float[,] u = Slice(record.Membrane, sample, neurons);
        float[,]? s = record.Spikes is null ? null : Slice(record.Spikes, sample, neurons);
        int steps = u.GetLength(0), n = u.GetLength(1);
        var plot = FigureStyle.New(title ?? $"Membrane of {record.Name}, sample {sample}", "time step t", "membrane potential u (model units)");
        double[] xs = [.. Enumerable.Range(0, steps).Select(t => (double)t)];
        for (int j = 0; j < n; j++)
        {
            FigureStyle.Measured(plot, xs, [.. Enumerable.Range(0, steps).Select(t => (double)u[t, j])], FigureStyle.ColorOf(j), $"neuron {j}");
            if (s is null) continue;
            double[] at = [.. Enumerable.Range(0, steps).Where(t => s[t, j] != 0).Select(t => (double)t)];
            if (at.Length > 0) plot.Add.Markers(at, [.. at.Select(t => (double)u[(int)t, j])], MarkerShape.FilledCircle, 8, FigureStyle.ColorOf(j));
        }
        // a dashed scatter, not a dashed axis line: SkiaSharp's SVG canvas cannot draw the latter's path effect
        var threshold = plot.Add.Scatter(new double[] { 0, Math.Max(steps - 1, 1) }, new double[] { record.Neuron.Threshold, record.Neuron.Threshold }, Colors.Black);
        threshold.LinePattern = LinePattern.Dashed;
        threshold.MarkerSize = 0;
        threshold.LegendText = $"threshold θ = {record.Neuron.Threshold:G3} (dashed)";
        if (s is not null)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "spike at this step (dot)", MarkerShape = MarkerShape.FilledCircle, MarkerFillColor = Colors.Black, MarkerSize = 8, LineColor = Colors.Transparent });
        FigureStyle.IntegerTicks(plot.Axes.Bottom);
        FigureStyle.Legend(plot);
        return plot;
    }

    private static int Rows(NetworkRun run, int perLayer) =>
        run.Layers.Sum(l => (int)Math.Min(perLayer, (l.Spikes ?? l.Membrane)!.shape.Skip(2).Aggregate(1L, (a, b) => a * b)));

    /// <summary>[T, first n neurons] of one sample of a <c>[T, B, ...]</c> tensor.</summary>
    private static float[,] Slice(Tensor x, int sample, int n)
    {
        long batch = x.shape[1];
        if (sample < 0 || sample >= batch) throw new ArgumentException($"sample {sample} is not in the batch (0 … {batch - 1})", nameof(sample));
        using var scope = NewDisposeScope();
        Tensor flat = x.select(1, sample).reshape(x.shape[0], -1);
        int take = (int)Math.Min(n, flat.shape[1]);
        float[] data = flat.narrow(1, 0, take).to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        var result = new float[x.shape[0], take];
        Buffer.BlockCopy(data, 0, result, 0, data.Length * sizeof(float));
        return result;
    }
}
