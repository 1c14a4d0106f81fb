using SpikeInit.Initialization;
using SpikeInit.Theory;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// The mean field over time (docs/THEORY.md §L5) against the library's own kernel, <see cref="Lif.Step"/>, in float64
/// with a per-neuron current I ~ N(μ_I, σ_I²) drawn once (seeded) and held constant over the steps. Tolerances: five
/// standard errors of each sampled statistic (computed from the simulation itself) plus the quadrature's bound
/// (2·10⁻³ for a probability: each spike boundary in I costs at most one node's weight 1/8192; 10⁻³ relative for
/// membrane moments).
/// </summary>
public class MeanFieldTests(ITestOutputHelper output)
{
    private const double QuadratureProbability = 2e-3, QuadratureMoment = 1e-3;

    public static TheoryData<LifReset, double, double, double> Cases()
    {
        var data = new TheoryData<LifReset, double, double, double>();
        foreach (LifReset reset in Enum.GetValues<LifReset>())
            foreach (double beta in new[] { 0.5, 0.9 })
                foreach ((double mu, double sigma) in new[] { (0.0, 1.0), (0.3, 0.5), (0.1, 0.15) })
                    data.Add(reset, beta, mu, sigma);
        return data;
    }

    /// <summary>Per-step population statistics of a simulated layer and per-neuron averages over a late window.</summary>
    private sealed record Simulated(double[] Mean, double[] MeanError, double[] Variance, double[] VarianceError, double[] Fire,
                                    double[] FireError, double WindowFire, double WindowFireError, double WindowVariance,
                                    double WindowVarianceError, double Silent);

    private static Simulated Simulate(LifParameters p, double mu, double sigma, int neurons, int steps, int windowFrom, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var g = new Generator(seed);
        Tensor current = randn([neurons], ScalarType.Float64, generator: g).mul(sigma).add(mu);
        LifState state = Lif.Initial([neurons], ScalarType.Float64, CPU);
        var surrogate = new ArcTan();
        int perStep = Math.Min(steps, windowFrom);
        double[] mean = new double[perStep], meanError = new double[perStep], variance = new double[perStep],
                 varianceError = new double[perStep], fire = new double[perStep], fireError = new double[perStep];
        double[] rate = new double[neurons], u1 = new double[neurons], u2 = new double[neurons];
        for (int t = 0; t < steps; t++)
        {
            (_, state) = Lif.Step(current, state, p, surrogate);
            double[] u = T.Array(state.U), s = T.Array(state.S);
            if (t < perStep)
            {
                double m = u.Average();
                double m2 = u.Average(v => (v - m) * (v - m)), m4 = u.Average(v => Math.Pow(v - m, 4));
                double f = s.Average();
                mean[t] = m;
                variance[t] = m2;
                fire[t] = f;
                meanError[t] = Math.Sqrt(m2 / neurons);
                varianceError[t] = Math.Sqrt(Math.Max(m4 - m2 * m2, 0) / neurons);
                fireError[t] = Math.Sqrt(f * (1 - f) / neurons);
            }
            if (t < windowFrom) continue;
            for (int i = 0; i < neurons; i++)
            {
                rate[i] += s[i];
                u1[i] += u[i];
                u2[i] += u[i] * u[i];
            }
        }
        int window = steps - windowFrom;
        if (window <= 0) return new(mean, meanError, variance, varianceError, fire, fireError, 0, 0, 0, 0, 0);
        double[] r = [.. rate.Select(v => v / window)];
        double[] a1 = [.. u1.Select(v => v / window)], a2 = [.. u2.Select(v => v / window)];
        double windowMean = a1.Average(), windowSecond = a2.Average();
        // Var over (neuron, late step) = E[a2] − E[a1]²; its standard error by the delta method over neurons
        double[] influence = [.. a1.Zip(a2, (x1, x2) => x2 - 2 * windowMean * x1)];
        return new(mean, meanError, variance, varianceError, fire, fireError, r.Average(), StdError(r),
                   windowSecond - windowMean * windowMean, StdError(influence), r.Count(v => v == 0) / (double)neurons);
    }

    private static double StdError(double[] x)
    {
        double m = x.Average();
        return Math.Sqrt(x.Average(v => (v - m) * (v - m)) / x.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Time_course_matches_the_simulated_layer(LifReset reset, double beta, double mu, double sigma)
    {
        // 50 000 neurons × 20 steps = 10⁶ neuron-steps
        var p = new LifParameters(beta, 1.0, reset);
        MeanFieldCourse theory = TimeCourse.Predict(new LifNeuron(p), mu, sigma, 20);
        Simulated sim = Simulate(p, mu, sigma, 50_000, 20, 20, 7);
        for (int t = 0; t < 20; t++)
        {
            string at = $"{reset} beta {beta} I~N({mu}, {sigma}^2) t={t}";
            Assert.True(Math.Abs(theory.FiringProbability[t] - sim.Fire[t]) <= 5 * sim.FireError[t] + QuadratureProbability,
                        $"{at}: P(fire) theory {theory.FiringProbability[t]:G5}, simulated {sim.Fire[t]:G5}");
            Assert.True(Math.Abs(theory.MembraneMean[t] - sim.Mean[t]) <= 5 * sim.MeanError[t] + QuadratureMoment * Math.Abs(sim.Mean[t]) + 1e-9,
                        $"{at}: E[u] theory {theory.MembraneMean[t]:G5}, simulated {sim.Mean[t]:G5}");
            Assert.True(Math.Abs(theory.MembraneVariance[t] - sim.Variance[t]) <= 5 * sim.VarianceError[t] + QuadratureMoment * sim.Variance[t] + 1e-9,
                        $"{at}: Var[u] theory {theory.MembraneVariance[t]:G5}, simulated {sim.Variance[t]:G5}");
        }
        output.WriteLine($"{reset} beta {beta} N({mu},{sigma}²): P t=0 {theory.FiringProbability[0]:G4}/{sim.Fire[0]:G4}, " +
                         $"t=19 {theory.FiringProbability[19]:G4}/{sim.Fire[19]:G4}; Var[u] t=19 {theory.MembraneVariance[19]:G4}/{sim.Variance[19]:G4}; " +
                         $"stationary P {theory.Stationary.FiringProbability:G4}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stationary_rate_and_variance_match_a_long_simulation(LifReset reset, double beta, double mu, double sigma)
    {
        // 4 000 neurons × 1 000 steps = 4·10⁶ neuron-steps; both average over the window [500, 1000)
        var p = new LifParameters(beta, 1.0, reset);
        MeanFieldStationary theory = TimeCourse.Predict(new LifNeuron(p), mu, sigma, 1).Stationary;
        Simulated sim = Simulate(p, mu, sigma, 4_000, 1000, 500, 3);
        string at = $"{reset} beta {beta} I~N({mu}, {sigma}^2)";
        output.WriteLine($"{at}: rate {theory.FiringProbability:G5}/{sim.WindowFire:G5}, Var[u] {theory.MembraneVariance:G5}/{sim.WindowVariance:G5}, " +
                         $"silent {theory.SilentFraction:G4}/{sim.Silent:G4}, converged {theory.Converged}");
        Assert.True(theory.Converged, $"{at}: stationary values did not converge");
        Assert.Equal(500, theory.From);
        Assert.True(Math.Abs(theory.FiringProbability - sim.WindowFire) <= 5 * sim.WindowFireError + QuadratureProbability,
                    $"{at}: stationary rate theory {theory.FiringProbability:G5}, simulated {sim.WindowFire:G5}");
        Assert.True(Math.Abs(theory.MembraneVariance - sim.WindowVariance) <= 5 * sim.WindowVarianceError + QuadratureMoment * sim.WindowVariance,
                    $"{at}: stationary Var[u] theory {theory.MembraneVariance:G5}, simulated {sim.WindowVariance:G5}");
        Assert.True(Math.Abs(theory.SilentFraction - sim.Silent) <= 5 * Math.Sqrt(sim.Silent * (1 - sim.Silent) / 4000) + QuadratureProbability,
                    $"{at}: silent fraction theory {theory.SilentFraction:G4}, simulated {sim.Silent:G4}");
    }

    [Theory]
    [InlineData(LifReset.SubtractNextStep, SpikeCondition.GreaterOrEqual)]
    [InlineData(LifReset.SubtractBeforeDecay, SpikeCondition.GreaterOrEqual)]
    public void Gain_and_non_strict_condition_match_the_simulated_layer(LifReset reset, SpikeCondition condition)
    {
        var p = new LifParameters(0.8, 0.5, reset, new SpikeOptions(condition), gain: 0.4);
        MeanFieldCourse theory = TimeCourse.Predict(new LifNeuron(p), 0.2, 0.8, 20);
        Simulated sim = Simulate(p, 0.2, 0.8, 50_000, 20, 20, 9);
        for (int t = 0; t < 20; t++)
        {
            Assert.True(Math.Abs(theory.FiringProbability[t] - sim.Fire[t]) <= 5 * sim.FireError[t] + QuadratureProbability, $"t={t}: P(fire)");
            Assert.True(Math.Abs(theory.MembraneVariance[t] - sim.Variance[t]) <= 5 * sim.VarianceError[t] + QuadratureMoment * sim.Variance[t], $"t={t}: Var[u]");
        }
    }

    [Theory]
    [InlineData(0.5, 1.0)]
    [InlineData(0.3, 0.5)]
    [InlineData(-0.2, 2.0)]
    public void First_step_is_the_gaussian_first_step_theory(double mu, double sigma)
    {
        // u₀ = g·I₀ is Gaussian: the quadrature must reproduce Q((θ − gμ)/(gσ)), gμ and (gσ)² (L4)
        var neuron = new LifNeuron(new LifParameters(0.7, 1.0, gain: 0.8));
        MeanFieldCourse course = TimeCourse.Predict(neuron, mu, sigma, 1);
        FirstStepMembrane first = LayerTheory.FirstStep(neuron, mu, sigma * sigma);
        Assert.True(Math.Abs(first.FiringProbability - course.FiringProbability[0]) <= 1.0 / MeanField.DefaultNodes,
                    $"P: {first.FiringProbability} vs {course.FiringProbability[0]}");
        Assert.Equal(first.Mean, course.MembraneMean[0], 4);
        T.Relative(first.Std * first.Std, course.MembraneVariance[0], 2e-3, "Var[u0]");
    }

    [Theory]
    [InlineData(0.8, 0.2, 1.0, 1.0)]
    [InlineData(0.9, 0.5, 1.5, 0.7)]
    public void Pre_reset_stationary_rate_is_dings_exact_discrete_rate(double k, double lambda, double mu, double sigma)
    {
        // k/λ (pre-reset) from rest with constant current: periodic with period m*, so the stationary rate is
        // Σ_m (1/m) P(c_m < I ≤ c_{m−1}) (DingTheory.MeanStationaryRate); the window average differs by at most 1/500
        var neuron = new KLambdaNeuron(new KLambdaParameters(k, lambda, 1.0));
        MeanFieldStationary stationary = TimeCourse.Predict(neuron, mu, sigma, 1).Stationary;
        double ding = DingTheory.MeanStationaryRate(mu, sigma, k, lambda, 1.0);
        Assert.True(Math.Abs(ding - stationary.FiringProbability) <= 1.0 / 500 + QuadratureProbability,
                    $"stationary {stationary.FiringProbability} vs Ding {ding}");
        // one neuron (σ = 0): exactly the discrete rate of one period
        MeanFieldStationary one = TimeCourse.Predict(neuron, mu, 0, 1, horizon: 840).Stationary;
        Assert.Equal(DingTheory.DiscreteRate(mu, k, lambda, 1.0, 420), one.FiringProbability, 2);
    }

    [Fact]
    public void Spike_correlation_has_the_firing_probability_on_its_diagonal_and_matches_simulation()
    {
        var p = new LifParameters(0.5, 1.0, LifReset.SubtractBeforeDecay);
        MeanFieldNeuron neuron = TimeCourse.Of(new LifNeuron(p));
        double[][] c = MeanField.SpikeCorrelation(neuron, 0.3, 0.5, 10);
        MeanFieldCourse course = MeanField.Layer(neuron, 0.3, 0.5, 10);
        for (int t = 0; t < 10; t++) Assert.Equal(course.FiringProbability[t], c[t][t], 12);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g = new Generator(5);
        const int n = 50_000;
        Tensor current = randn([n], ScalarType.Float64, generator: g).mul(0.5).add(0.3);
        LifState state = Lif.Initial([n], ScalarType.Float64, CPU);
        var spikes = new List<Tensor>();
        for (int t = 0; t < 10; t++)
        {
            (Tensor s, state) = Lif.Step(current, state, p, new ArcTan());
            spikes.Add(s);
        }
        for (int a = 0; a < 10; a++)
            for (int b = 0; b < a; b++)
            {
                double measured = spikes[a].mul(spikes[b]).mean().item<double>();
                Assert.True(Math.Abs(measured - c[a][b]) <= 5 * Math.Sqrt(measured * (1 - measured) / n) + QuadratureProbability,
                            $"E[s_{a} s_{b}]: theory {c[a][b]}, simulated {measured}");
                Assert.Equal(c[a][b], c[b][a]);
            }
    }

    [Fact]
    public void No_reset_without_leak_does_not_converge_and_bad_input_is_refused()
    {
        var integrator = new MeanFieldNeuron(1, 1, 1, MembraneReset.None);
        Assert.False(MeanField.Layer(integrator, 0.1, 1, 1, nodes: 256).Stationary.Converged);
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanField.Layer(integrator, 0, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanField.Layer(integrator, 0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanFieldNeuron(1, 1.5, 1, MembraneReset.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => integrator with { Theta = 0 });
        var ex = Assert.Throws<ArgumentException>(() => TimeCourse.Of(new CubaLifNeuron()));
        Assert.Contains("discrete", ex.Message, StringComparison.Ordinal);
    }
}
