using SpikeInit.Initialization;
using SpikeInit.Theory;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// The stability method's stationary prediction (the recurrent mean field, docs/THEORY.md §S3.3 addendum) against seeded
/// simulations of the library's recurrent layer from rest.
/// </summary>
public class RecurrentMeanFieldTests(ITestOutputHelper output)
{
    /// <summary>
    /// Herranz-Celotti's setting (700 Bernoulli(1/2) inputs, 256 LIF, α = 0.9, θ = 1) for each reset, and the
    /// hc-recurrent preset's (784 inputs at f = 0.01, 128 units). The population rate of one 256-neuron draw scatters by
    /// ±0.07 around its ensemble value (the row sums of the weights are a finite sample), so the simulated rate is the
    /// mean over 8 independent draws (8 × 8 samples × 100 late steps × units ≥ 6·10⁵ neuron-steps): within ±0.05.
    /// </summary>
    [Theory]
    [InlineData(LifReset.SubtractNextStep, 700, 256, 0.5)]
    [InlineData(LifReset.ZeroBeforeDecay, 700, 256, 0.5)]
    [InlineData(LifReset.ZeroAfterInput, 700, 256, 0.5)]
    [InlineData(LifReset.ZeroBeforeDecay, 784, 128, 0.01)]
    [InlineData(LifReset.ZeroAfterInput, 784, 128, 0.01)]
    public void Stability_prediction_matches_the_simulated_stationary_rate(LifReset reset, int fanIn, int units, double p)
    {
        var neuron = new LifNeuron(new LifParameters(0.9, 1.0, reset), new NormalizedSurrogate(SurrogateShape.FastSigmoid));
        var rates = new List<double>();
        double predicted = double.NaN;
        for (int seed = 0; seed < 8; seed++)
        {
            SpikingNetwork net = SpikingNetwork.Create(NetworkSpec.Builder(fanIn).Recurrent(units, neuron, bias: false).Build());
            using var g = new Generator((ulong)(100 + seed));
            Prediction theory = NetworkInitializer.Initialize(net, new StabilityBased(), InputStatistics.Spikes(p), g)[0].Theory!;
            predicted = theory.FiringProbability!.Value;
            using var _ = no_grad();
            Tensor x = rand([200, 8, fanIn], generator: g).lt(p).to(ScalarType.Float32);
            NetworkRun run = net.Run(x, record: Recording.Spikes);
            rates.Add(run.Layers[0].Spikes![100..].to(ScalarType.Float64).mean().item<double>());
        }
        double simulated = rates.Average();
        output.WriteLine($"{reset} {fanIn}x{units} p = {p}: predicted {predicted:F4}, simulated {simulated:F4} [{string.Join(" ", rates.Select(r => r.ToString("F3")))}]");
        Assert.True(Math.Abs(predicted - simulated) <= 0.05, $"{reset}: predicted {predicted}, simulated {simulated}");
    }

    [Fact]
    public void Without_recurrence_the_grid_reproduces_the_free_membrane()
    {
        // n = 0, no reset below threshold reach: u is AR(1) with stationary variance σ²/(1 − α²) and mean μ/(1 − α)
        var neuron = new MeanFieldNeuron(1, 0.8, 100, MembraneReset.SubtractNextStep);
        var drive = new RecurrentDrive(0.1, 0.04, 0.09, 0, 0, 0);
        MeanFieldCourse c = RecurrentMeanField.Layer(neuron, drive, 3);
        Assert.Equal(0.1 / 0.2, c.Stationary.MembraneMean, 2);
        T.Relative(0.04 / 0.04 + 0.09 / 0.36, c.Stationary.MembraneVariance, 0.02, "membrane variance");
        Assert.Equal(0, c.Stationary.FiringProbability, 6);
        // the first step from rest: u₀ = μ up to half a grid cell (the rest state sits in a cell centre)
        Assert.InRange(c.MembraneMean[0], 0.1 - 0.06, 0.1 + 0.06);
        Assert.Throws<ArgumentException>(() => RecurrentMeanField.Layer(neuron with { Leak = 1 }, drive, 3));
    }
}
