using SpikeInit.Initialization;
using SpikeInit.Theory;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>The current-based neuron's time course from rest (docs/THEORY.md §F4.1) against seeded simulations.</summary>
public class CurrentBasedTimeCourseTests(ITestOutputHelper output)
{
    private const double Rate = 15.8, Dt = 2e-3;

    /// <summary>200 Poisson inputs at 15.8 Hz into 500 CUBA neurons, 64 samples, from rest; fluctuation-driven μ_U = 0.5, ξ = 2.</summary>
    private static (NetworkRun Run, Prediction Theory) Simulate(bool reset, int steps, int seed)
    {
        var neuron = new CubaLifNeuron(new CubaLifParameters(Dt, reset: reset));
        SpikingNetwork net = SpikingNetwork.Create(NetworkSpec.Builder(200).Dense(500, neuron, bias: false).Build());
        using var g = new Generator((ulong)seed);
        Prediction theory = NetworkInitializer.Initialize(net, FluctuationDriven.General(0.5, 2), InputStatistics.Poisson(Rate, Dt), g, steps: steps)[0].Theory!;
        using var _ = no_grad();
        Tensor spikes = rand([steps, 64, 200], generator: g).lt(Rate * Dt).to(ScalarType.Float32);
        return (net.Run(spikes, record: Recording.All), theory);
    }

    [Fact]
    public void Free_membrane_mean_and_variance_over_time_match_a_simulation()
    {
        // no reset: the free membrane is exactly Campbell's step by step. All neurons of a sample share its 200 input trains,
        // so the population mean at a step fluctuates from sample to sample: its standard error comes from the 64 per-sample means.
        (NetworkRun run, Prediction theory) = Simulate(reset: false, steps: 300, seed: 31);
        MeanFieldCourse course = theory.TimeCourse!;
        Assert.Equal(300, course.Steps);
        foreach (int t in new[] { 0, 3, 10, 30, 100, 299 })
        {
            Tensor u = run.Layers[0].Membrane![t].to(ScalarType.Float64);
            double mean = u.mean().item<double>(), variance = u.var(false).item<double>();
            double se = u.mean([1L]).std().item<double>() / Math.Sqrt(64);
            output.WriteLine($"t = {t}: mean {mean:G4} ± {se:G2} vs {course.MembraneMean[t]:G4}; var {variance:G4} vs {course.MembraneVariance[t]:G4}");
            Assert.True(Math.Abs(mean - course.MembraneMean[t]) <= 5 * se + 1e-3, $"t = {t}: mean {mean} vs {course.MembraneMean[t]}");
            // the variance over 64 × 500 membranes (500 weight rows): sampling error ~5 %, plus the shot noise's skew at small t
            T.Relative(course.MembraneVariance[t], variance, 0.12, $"t = {t} membrane variance");
        }
        // the course converges to the stationary free-membrane prediction of stork's formulas (Campbell's Poisson shot noise;
        // the course's Bernoulli spikes per step have 1 − p = 0.97 of its variance)
        T.Relative(theory.MembraneMean!.Value, course.Stationary.MembraneMean, 0.02, "stationary mean vs mu_U");
        T.Relative(Math.Pow(theory.MembraneStd!.Value, 2) + Math.Pow(theory.MembraneMeanSpread!.Value, 2), course.Stationary.MembraneVariance, 0.05, "stationary variance");
    }

    [Fact]
    public void Firing_probability_over_time_with_reset_matches_a_simulation()
    {
        // with the reset, a neuron fires once per excursion of its membrane above θ: the free membrane's up-crossing
        // probability; 500 × 64 × 150 = 4.8·10⁶ neuron-steps (measured 0.0054 vs 0.0056 predicted; the Gaussian tail
        // P(U > θ) would say 0.075)
        (NetworkRun run, Prediction theory) = Simulate(reset: true, steps: 300, seed: 32);
        MeanFieldCourse course = theory.TimeCourse!;
        Tensor spikes = run.Layers[0].Spikes!.to(ScalarType.Float64);
        double late = spikes[150..].mean().item<double>();
        double early = spikes[5..15].mean().item<double>();
        double predictedEarly = course.FiringProbability.Skip(5).Take(10).Average();
        output.WriteLine($"stationary rate {late:G4} vs {course.Stationary.FiringProbability:G4}; steps 5-14 {early:G4} vs {predictedEarly:G4}");
        T.Relative(course.Stationary.FiringProbability, late, 0.15, "stationary firing probability");
        Assert.True(early < 0.5 * late && predictedEarly < 0.5 * course.Stationary.FiringProbability, "the onset from rest is predicted and simulated");
    }

    [Fact]
    public void Kernel_partial_sums_give_the_closed_form_of_a_one_pole_membrane()
    {
        // k_j = β^j: K_t = (1 − β^{t+1})/(1 − β), Q_t = (1 − β^{2(t+1)})/(1 − β²)
        double beta = 0.9;
        double[] kernel = [.. Enumerable.Range(0, 400).Select(j => Math.Pow(beta, j))];
        MeanFieldCourse c = FreeMembraneCourse.Predict(kernel, 0.2, 0.01, 0.3, 1.5, 5);
        for (int t = 0; t < 5; t++)
        {
            double k = (1 - Math.Pow(beta, t + 1)) / (1 - beta), q = (1 - Math.Pow(beta, 2 * (t + 1))) / (1 - beta * beta);
            Assert.Equal(0.2 * k, c.MembraneMean[t], 12);
            Assert.Equal(0.01 * k * k + 0.3 * q, c.MembraneVariance[t], 12);
        }
        Assert.Equal(2.0, c.Stationary.MembraneMean, 9);
        Assert.Equal(0.01 * 100 + 0.3 / (1 - beta * beta), c.Stationary.MembraneVariance, 9);
        Assert.True(c.Stationary.Converged);
        Assert.False(FreeMembraneCourse.Predict(kernel[..50], 0.2, 0.01, 0.3, 1.5, 5).Stationary.Converged);
        Assert.Throws<ArgumentOutOfRangeException>(() => FreeMembraneCourse.Predict(kernel, 0.2, -1, 0.3, 1.5, 5));
    }
}
