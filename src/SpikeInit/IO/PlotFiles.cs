namespace SpikeInit.IO;

/// <summary>Saves a plot as PNG and SVG side by side, each written atomically.</summary>
public static class PlotFiles
{
    /// <summary>Writes <c>PATH.png</c> and <c>PATH.svg</c>; returns both paths.</summary>
    public static (string Png, string Svg) Save(ScottPlot.Plot plot, string pathWithoutExtension, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        string png = pathWithoutExtension + ".png", svg = pathWithoutExtension + ".svg";
        AtomicFile.Write(png, temp => plot.SavePng(temp, width, height));
        AtomicFile.Write(svg, temp => plot.SaveSvg(temp, width, height));
        return (png, svg);
    }
}
