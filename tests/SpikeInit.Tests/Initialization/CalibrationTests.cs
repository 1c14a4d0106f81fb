using SpikeInit.Initialization;
using SpikeInit.Layers;

namespace SpikeInit.Tests;

public class CalibrationTests
{
    private static (SpikingNetwork Net, Tensor Input) Network(string init, int seed = 1)
    {
        var net = SpikingNetwork.Create(Architectures.DeepDense(100, 200, 5, new LifNeuron(), encoder: true, outputs: 10), new Generator((ulong)seed));
        NetworkInitializer.Initialize(net, Initializers.Create(init), InputStatistics.Gaussian(), new Generator((ulong)seed + 1));
        return (net, randn([64, 100], generator: new Generator((ulong)seed + 2)));
    }

    private static double[] Rates(SpikingNetwork net, Tensor input, int steps)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return [.. net.Run(input, steps, Recording.Spikes).Layers.Select(l => LayerActivity.Measure(l.Spikes!).MeanRate)];
    }

    [Fact]
    public void Brings_every_hidden_layer_to_the_target_rate()
    {
        var (net, x) = Network("kaiming");
        using var _ = net;
        double[] before = Rates(net, x, 10);
        IReadOnlyList<LayerCalibration> result = Calibration.Run(net, x, 10, CalibrationTarget.Parse("rate:0.05"));
        double[] after = Rates(net, x, 10);
        Assert.Equal(5, result.Count);                                   // dense hidden layers 1..5 (encoder has no weights, readout excluded)
        foreach (LayerCalibration c in result)
        {
            Assert.InRange(after[c.Layer], 0.045, 0.055);                // measured again on a fresh run: within ±10 %
            Assert.Equal(before[c.Layer], c.RateBefore, 6);
            Assert.Equal(after[c.Layer], c.RateAfter, 6);
        }
        Assert.Contains(result, c => Math.Abs(c.Scale - 1) > 0.05);      // it had to change something
    }

    [Fact]
    public void Matches_a_membrane_sigma_and_keeps_the_first_rate()
    {
        var (net, x) = Network("glorot", seed: 3);
        using var _ = net;
        foreach (LayerCalibration c in Calibration.Run(net, x, 8, CalibrationTarget.Parse("sigma:1")))
            Assert.InRange(c.After, 0.9, 1.1);
        var (other, y) = Network("kaiming", seed: 4);
        using var __ = other;
        IReadOnlyList<LayerCalibration> keep = Calibration.Run(other, y, 8, CalibrationTarget.Parse("keep-first"));
        Assert.Equal(1.0, keep[0].Scale);
        foreach (LayerCalibration c in keep.Skip(1)) Assert.InRange(c.RateAfter, 0.9 * keep[0].RateAfter, 1.1 * keep[0].RateAfter);
    }

    [Fact]
    public void An_unreachable_target_is_a_clear_error()
    {
        var (net, x) = Network("kaiming", seed: 5);
        using var _ = net;
        string message = Assert.Throws<ArgumentException>(() => Calibration.Run(net, x, 5, CalibrationTarget.Parse("rate:0.95"))).Message;
        Assert.Contains("out of reach", message, StringComparison.Ordinal);
        Assert.Contains("layer 1", message, StringComparison.Ordinal);
        foreach (string bad in new[] { "rate:0", "rate:1.5", "sigma:-1", "speed:3", "rate:0,1", "", "rate:0.2@bias", "rate:0.2@input@recurrent" })
            Assert.ThrowsAny<ArgumentException>(() => CalibrationTarget.Parse(bad));
    }

    [Theory]
    [InlineData("rate:0.2@recurrent", CalibrationWeights.Recurrent)]
    [InlineData("rate:0.2@input", CalibrationWeights.Input)]
    public void Rescales_only_the_selected_weights_of_a_recurrent_layer(string text, CalibrationWeights weights)
    {
        var target = CalibrationTarget.Parse(text);
        Assert.Equal(weights, target.Weights);
        Assert.Equal(text, target.ToString());
        var neuron = new LifNeuron(new LifParameters(0.9, 1.0, LifReset.SubtractNextStep));
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(100).Recurrent(80, neuron, bias: false).DenseReadout(10, neuron).Build(), new Generator(3));
        NetworkInitializer.Initialize(net, Initializers.Create("glorot-uniform"), InputStatistics.Spikes(0.2), new Generator(4));
        Tensor x = rand([30, 16, 100], generator: new Generator(5)).lt(0.2).to(ScalarType.Float32);
        var block = (RecurrentBlock)net.Blocks[0];
        Tensor input = block.Weight.detach().clone(), recurrent = block.RecurrentWeight.detach().clone();
        LayerCalibration result = Calibration.Run(net, x, null, target).Single();
        Assert.InRange(result.RateAfter, 0.18, 0.22);
        Assert.NotEqual(1.0, result.Scale);
        Tensor kept = weights == CalibrationWeights.Recurrent ? input : recurrent;
        Tensor now = weights == CalibrationWeights.Recurrent ? block.Weight : block.RecurrentWeight;
        Assert.True(kept.eq(now).all().item<bool>(), "the weights not selected are left as they are");
    }
}
