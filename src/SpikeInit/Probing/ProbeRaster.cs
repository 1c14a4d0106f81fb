using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Plotting;
using static TorchSharp.torch;

namespace SpikeInit.Probing;

/// <summary>
/// <c>probe --raster</c>: one sample of each probed network (the weights of the probe's first
/// repeat, without calibration, on one input sample) run with <see cref="Recording.All"/>, drawn with <see cref="Plots.Raster"/> and
/// <see cref="Plots.Membrane"/> (the first and the last layer) into files named by configuration.
/// </summary>
public static class ProbeRaster
{
    /// <summary>Writes <c>raster_NAME</c>, <c>membrane_NAME_first</c> and <c>membrane_NAME_last</c> (PNG and SVG) per configuration; returns the files.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<ProbeResult> results, long seed)
    {
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(directory);
        IReadOnlyList<string> names = ProbeReport.FileNames(results);
        var files = new List<string>();
        for (int i = 0; i < results.Count; i++)
        {
            ProbeConfiguration c = results[i].Configuration;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var feed = new ProbeFeed(c, seed);
            using var construction = new Generator((ulong)seed);
            using var net = SpikingNetwork.Create(c.Network(), construction).MoveTo(c.Device);
            using var generator = new Generator((ulong)seed);
            NetworkInitializer.Initialize(net, c.Initializer(), feed.Statistics, generator);
            NetworkRun run = net.Run(feed.Next(0, 1, generator), record: Recording.All);
            var written = new[]
            {
                Plots.Raster(run, Path.Combine(directory, "raster_" + names[i]), title: $"Spike raster of one sample: {c.Label} (first 50 neurons per layer)"),
                Plots.Membrane(run, 0, Path.Combine(directory, $"membrane_{names[i]}_first"), title: $"Membrane of the first layer (layer {run.Layers[0].Name}), one sample: {c.Label}"),
                Plots.Membrane(run, run.Layers.Count - 1, Path.Combine(directory, $"membrane_{names[i]}_last"), title: $"Membrane of the last layer (layer {run.Layers[^1].Name}), one sample: {c.Label}"),
            };
            files.AddRange(written.SelectMany(w => new[] { w.Png, w.Svg }));
        }
        return files;
    }
}
