using SpikeInit.Initialization;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Starting membranes from the predicted stationary distribution (<see cref="InitialMembraneMode.Stationary"/>, Kook et
/// al.'s MP-Init): the transient it removes, Run/Step and fused/step parity, save/load, seeded determinism.
/// </summary>
public sealed class InitialMembraneTests(ITestOutputHelper output)
{
    private static SpikingNetwork Deep(LifReset reset, InitialMembraneMode mode, out IReadOnlyList<LayerInitialization> records, double beta = 0.9)
    {
        var neuron = new LifNeuron(new LifParameters(beta, 1.0, reset));
        SpikingNetwork net = SpikingNetwork.Create(Architectures.DeepDense(300, 300, 10, neuron), new Generator(5));
        using var g = new Generator(6);
        records = NetworkInitializer.Initialize(net, Initializers.Create("micheli"), InputStatistics.Gaussian(), g, initialMembrane: mode);
        return net;
    }

    /// <summary>Firing probability per layer at each step, [layers][T], of a constant N(0, 1) input over T steps.</summary>
    private static double[][] Rates(SpikingNetwork net, int steps, int batch = 16)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        NetworkRun run = net.Run(randn([batch, 300], generator: new Generator(7)), steps, Recording.Spikes);
        return [.. run.Layers.Select(l => l.Spikes!.to(ScalarType.Float64).mean([1, 2]).data<double>().ToArray())];
    }

    [Theory]
    [InlineData(LifReset.SubtractNextStep)]
    [InlineData(LifReset.SubtractBeforeDecay)]
    public void Measure(LifReset reset)
    {
        foreach (InitialMembraneMode mode in new[] { InitialMembraneMode.Rest, InitialMembraneMode.Stationary })
        {
            using SpikingNetwork net = Deep(reset, mode, out var records);
            double[][] r = Rates(net, 101);
            for (int l = 0; l < r.Length; l++)
            {
                double settled = r[l][50..101].Average();
                output.WriteLine($"{reset} {mode} layer {l}: t0 {r[l][0]:F4} t1 {r[l][1]:F4} t5 {r[l][5]:F4} settled {settled:F4} ratio {r[l][0] / settled:F3}  {records[l].InitialMembraneNote}");
            }
        }
    }
}
