using System.Globalization;
using SpikeInit.IO;
using SpikeInit.Layers;
using SpikeInit.Networks;
using SpikeInit.Runtime;
using static TorchSharp.torch;

namespace SpikeInit.Probing;

/// <summary>
/// The built-in job that needs no data (<c>spikeinit demo</c>): a network at initialization driven by a constant N(0, 1)
/// current, as in Micheli et al. §4.2, observed layer by layer with <see cref="LayerActivity"/>.
/// </summary>
public static class Demo
{
    /// <summary>
    /// Builds <paramref name="spec"/> with PyTorch's default weights (or N(0, <paramref name="weightStd"/>²) on dense layers),
    /// runs <paramref name="batch"/> samples of N(0, 1) input for <paramref name="steps"/> steps on <paramref name="device"/>
    /// (default the CPU; weights and input are drawn on the CPU first), and returns each layer's activity.
    /// </summary>
    public static IReadOnlyList<LayerActivity> Run(NetworkSpec spec, int batch, int steps, double? weightStd, long seed, ComputeDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate.AtLeast(batch, "batch", 1);
        Validate.AtLeast(steps, "steps", 1);
        NetworkSize.Require(spec, batch, steps, "the demo network");
        using var generator = new Generator((ulong)seed);
        using var network = SpikingNetwork.Create(spec, generator);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (weightStd is { } std)
        {
            Validate.Positive(std, "weight-std");
            foreach (Block block in network.Blocks)
                if (block is DenseBlock dense) dense.Weight.normal_(0, std, generator);
        }
        Tensor input = randn([batch, spec.InputShape.Aggregate(1L, (a, b) => a * b)], generator: generator);
        network.MoveTo(device ?? ComputeDevice.Cpu);
        NetworkRun run = network.Run(input, steps, Recording.All);
        return [.. run.Layers.Select(l => LayerActivity.Measure(l.Spikes!, l.Membrane))];
    }

    /// <summary>Writes <c>layer,time,firing_rate,silent_fraction,membrane_mean,membrane_var</c> atomically.</summary>
    public static void WriteCsv(string path, IReadOnlyList<LayerActivity> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        AtomicFile.Write(path, temp =>
        {
            using var w = new StreamWriter(temp);
            w.WriteLine("layer,time,firing_rate,silent_fraction,membrane_mean,membrane_var");
            for (int l = 0; l < layers.Count; l++)
                for (int t = 0; t < layers[l].Steps; t++)
                    w.WriteLine(string.Join(',', l.ToString(CultureInfo.InvariantCulture), t.ToString(CultureInfo.InvariantCulture), G(layers[l].Rate[t]),
                                            G(layers[l].SilentFraction), G(layers[l].MembraneMean![t]), G(layers[l].MembraneVariance![t])));
        });
    }

    private static string G(double v) => v.ToString("G7", CultureInfo.InvariantCulture);
}
