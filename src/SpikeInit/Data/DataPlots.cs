using ScottPlot;
using SpikeInit.IO;

namespace SpikeInit.Data;

/// <summary>Pictures of datasets: a grid of images, or spike rasters of a few samples (PNG, written atomically).</summary>
public static class DataPlots
{
    /// <summary>Largest side, in pixels, of one image in <see cref="Images"/>; larger images are shown block-averaged.</summary>
    public const int MaxTile = 64;

    /// <summary>Most images per class in <see cref="Images"/>.</summary>
    public const int MaxPerClass = 32;

    /// <summary>
    /// The first <paramref name="perClass"/> images of each class (up to 10 classes), one row per class, as one PNG. An
    /// image larger than <see cref="MaxTile"/> pixels on a side is downsampled by the smallest integer factor that fits
    /// (block averages, stated in the title), so the grid holds at most 10 × 32 tiles of 64 × 64 values whatever the data.
    /// </summary>
    public static void Images(ImageSet set, string path, int perClass = 8)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (perClass is < 1 or > MaxPerClass) throw new ArgumentException($"per_class = {perClass} is outside 1..{MaxPerClass}");
        int factor = (Math.Max(set.Height, set.Width) + MaxTile - 1) / MaxTile;
        int tileH = (set.Height + factor - 1) / factor, tileW = (set.Width + factor - 1) / factor;
        int rows = Math.Min(set.Classes, 10), gap = 2;
        var grid = new double[rows * (tileH + gap), perClass * (tileW + gap)];
        for (int c = 0; c < rows; c++)
        {
            int[] items = [.. Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == c).Take(perClass)];
            for (int k = 0; k < items.Length; k++)
                for (int y = 0; y < tileH; y++)
                    for (int x = 0; x < tileW; x++)
                        grid[c * (tileH + gap) + y, k * (tileW + gap) + x] = BlockMean(set, items[k], y * factor, x * factor, factor);
        }
        var plot = new Plot();
        int height = grid.GetLength(0), width = grid.GetLength(1);
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.Extent = new CoordinateRect(0, width, 0, height);
        plot.Title(factor == 1 ? $"{set.Name}: the first {perClass} samples of each class"
                   : $"{set.Name}: the first {perClass} samples of each class ({set.Height}x{set.Width}, shown at 1/{factor} scale)");
        plot.HideGrid();
        // one labelled tick per row (class), none along x: pixel coordinates mean nothing to a reader
        double[] centres = [.. Enumerable.Range(0, rows).Select(c => height - (c * (tileH + gap) + tileH / 2.0))];
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centres, [.. Enumerable.Range(0, rows).Select(c => $"class {c}")]);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.SetLimits(0, width, 0, height);
        AtomicFile.Write(path, temp => plot.SavePng(temp, 120 + perClass * 60, 80 + rows * 60));
    }

    private static double BlockMean(ImageSet set, int item, int top, int left, int factor)
    {
        double sum = 0;
        int n = 0;
        long start = (long)item * set.Pixels;
        for (int y = top; y < Math.Min(top + factor, set.Height); y++)
            for (int x = left; x < Math.Min(left + factor, set.Width); x++, n++)
                sum += set.Images[start + (long)y * set.Width + x];
        return sum / n;
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
