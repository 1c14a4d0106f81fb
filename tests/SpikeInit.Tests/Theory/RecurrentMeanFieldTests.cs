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

    /// <summary>
    /// Any method's recurrent layer gets the recurrent mean field's time course (<c>steps</c> &gt; 0): Glorot-uniform on
    /// 700 Bernoulli(1/4) inputs → 256 LIF (β = 0.9, θ = 1, each reset), 8 weight draws × 8 samples; the firing probability
    /// per step over t = 0 … 29 (mean of 5-step windows) and the late rate within ±0.02 (measured ≤ 0.006).
    /// </summary>
    [Theory]
    [InlineData(LifReset.SubtractNextStep)]
    [InlineData(LifReset.ZeroAfterInput)]
    public void Every_methods_recurrent_layer_gets_a_time_course_that_matches_the_simulation(LifReset reset)
    {
        var neuron = new LifNeuron(new LifParameters(0.9, 1.0, reset));
        const int steps = 30;
        var simulated = new double[steps];
        MeanFieldCourse? course = null;
        double late = 0;
        for (int seed = 0; seed < 8; seed++)
        {
            SpikingNetwork net = SpikingNetwork.Create(NetworkSpec.Builder(700).Recurrent(256, neuron, bias: false).Build());
            using var g = new Generator((ulong)(300 + seed));
            course = NetworkInitializer.Initialize(net, Initializers.Create("glorot-uniform"), InputStatistics.Spikes(0.25), g, steps: steps)[0].Theory!.TimeCourse;
            using var _ = no_grad();
            Tensor x = rand([200, 8, 700], generator: g).lt(0.25).to(ScalarType.Float32);
            Tensor spikes = net.Run(x, record: Recording.Spikes).Layers[0].Spikes!.to(ScalarType.Float64);
            double[] perStep = spikes[..steps].mean([1L, 2L]).data<double>().ToArray();
            for (int t = 0; t < steps; t++) simulated[t] += perStep[t] / 8;
            late += spikes[100..].mean().item<double>() / 8;
        }
        Assert.NotNull(course);
        for (int t0 = 0; t0 < steps; t0 += 5)
        {
            double sim = simulated.Skip(t0).Take(5).Average(), pred = course.FiringProbability.Skip(t0).Take(5).Average();
            output.WriteLine($"{reset} t = {t0}..{t0 + 4}: simulated {sim:F4}, predicted {pred:F4}");
            Assert.True(Math.Abs(sim - pred) <= 0.02, $"{reset} t = {t0}..{t0 + 4}: simulated {sim}, predicted {pred}");
        }
        output.WriteLine($"{reset} late: simulated {late:F4}, predicted {course.Stationary.FiringProbability:F4}");
        Assert.True(Math.Abs(late - course.Stationary.FiringProbability) <= 0.02, $"late rate {late} vs {course.Stationary.FiringProbability}");
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
