using ScottPlot;
using SpikeInit.IO;

namespace SpikeInit.Data;

/// <summary>Pictures of datasets: a grid of images, or spike rasters of a few samples (PNG, written atomically).</summary>
public static class DataPlots
{
    /// <summary>The first <paramref name="perClass"/> images of each class (up to 10 classes), one row per class, as one PNG.</summary>
    public static void Images(ImageSet set, string path, int perClass = 8)
    {
        ArgumentNullException.ThrowIfNull(set);
        Validate.AtLeast(perClass, "per_class", 1);
        int rows = Math.Min(set.Classes, 10), gap = 2;
        var grid = new double[rows * (set.Height + gap), perClass * (set.Width + gap)];
        for (int c = 0; c < rows; c++)
        {
            int[] items = [.. Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == c).Take(perClass)];
            for (int k = 0; k < items.Length; k++)
                for (int y = 0; y < set.Height; y++)
                    for (int x = 0; x < set.Width; x++)
                        grid[c * (set.Height + gap) + y, k * (set.Width + gap) + x] = set.Images[(long)items[k] * set.Pixels + y * set.Width + x];
        }
        var plot = new Plot();
        int height = grid.GetLength(0), width = grid.GetLength(1);
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.Extent = new CoordinateRect(0, width, 0, height);
        plot.Title($"{set.Name}: the first {perClass} samples of each class");
        plot.HideGrid();
        // one labelled tick per row (class), none along x: pixel coordinates mean nothing to a reader
        double[] centres = [.. Enumerable.Range(0, rows).Select(c => height - (c * (set.Height + gap) + set.Height / 2.0))];
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centres, [.. Enumerable.Range(0, rows).Select(c => $"class {c}")]);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.SetLimits(0, width, 0, height);
        AtomicFile.Write(path, temp => plot.SavePng(temp, 120 + perClass * 60, 80 + rows * 60));
    }

    /// <summary>Spike rasters (time × unit) of the first <paramref name="count"/> samples, as one PNG.</summary>
    public static void Rasters(SpikeSet set, string path, int count = 4)
    {
        ArgumentNullException.ThrowIfNull(set);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < Math.Min(count, set.Count); s++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int t = 0; t < set.Steps; t++)
                for (int u = 0; u < set.Units; u++)
                    if (set.Rasters[s][t * set.Units + u] != 0)
                    {
                        xs.Add(t * set.Dt * 1000);
                        ys.Add(s * (set.Units + 2) + u);
                    }
            var points = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), palette.GetColor(s));
            points.LegendText = $"sample {s} (class {set.Labels[s]})";
        }
        plot.XLabel("time (ms)");
        plot.YLabel("unit (samples stacked)");
        plot.Title($"{set.Name}: spike rasters");
        plot.ShowLegend();
        AtomicFile.Write(path, temp => plot.SavePng(temp, 900, 600));
    }
}
