using SpikeInit.Initialization;
using SpikeInit.Theory;

namespace SpikeInit.Tests;

/// <summary>
/// Every test vector of docs/THEORY.md §F12 and docs/THEORY.md §S8 (printed to 6 and 8–10 significant digits;
/// tolerances are relative, one unit in the last printed digit).
/// </summary>
public class FluctuationVectorTests
{
    private static CubaLifNeuron Cuba(double tauMem, double tauSyn, double dt) => new(new CubaLifParameters(dt, tauMem, tauSyn));

    private const double Tol = 1e-5;
    private static readonly KernelIntegrals Analytical = FluctuationTheory.AnalyticalEpsilon(20e-3, 10e-3);
    private static readonly KernelIntegrals Num1 = Cuba(20e-3, 10e-3, 1e-3).KernelIntegrals();
    private static readonly KernelIntegrals Num2 = Cuba(20e-3, 10e-3, 2e-3).KernelIntegrals();

    [Theory]
    [InlineData(20e-3, 10e-3, 0, 0, 0.01, 0.00166667)]
    [InlineData(20e-3, 10e-3, 1e-3, 200, 0.0105074, 0.00184195)]
    [InlineData(20e-3, 10e-3, 2e-3, 100, 0.0110323, 0.00203561)]
    [InlineData(10e-3, 5e-3, 0, 0, 0.005, 0.000833333)]
    [InlineData(10e-3, 5e-3, 1e-3, 100, 0.00551613, 0.00101781)]
    [InlineData(10e-3, 5e-3, 2e-3, 50, 0.00606588, 0.00124261)]
    [InlineData(0.2, 10e-3, 2e-3, 1000, 0.0110328, 0.000289939)]
    public void KernelIntegrals_match_spec_12_1(double tauMem, double tauSyn, double dt, int length, double ebar, double ehat)
    {
        KernelIntegrals e = dt == 0
            ? FluctuationTheory.AnalyticalEpsilon(tauMem, tauSyn)
            : Cuba(tauMem, tauSyn, dt).KernelIntegrals();
        if (dt > 0) Assert.Equal(length, Cuba(tauMem, tauSyn, dt).Kernel().Length);
        T.Relative(ebar, e.Mean, Tol, "ebar");
        T.Relative(ehat, e.Square, Tol, "ehat");
    }

    [Fact]
    public void Kernel_values_and_peak_match_spec_and_the_untruncated_closed_form()
    {
        double[] k = Cuba(20e-3, 10e-3, 1e-3).Kernel();
        T.Close([0, 0.0487706, 0.0905214, 0.126037, 0.15602, 0.181103], k[..6], 1e-6, "k_eps");
        int peak = Array.IndexOf(k, k.Max());
        Assert.Equal(14, peak);
        T.Relative(0.262806, k[peak], Tol);
        // untruncated discrete sums (docs/THEORY.md §F3.2): ε̄_∞ = dt/(1 − λ_s)
        double ls = Math.Exp(-1e-3 / 10e-3);
        T.Relative(0.0105083, 1e-3 / (1 - ls), Tol, "ebar_inf");
        Assert.True(Num1.Mean < 1e-3 / (1 - ls)); // truncation only removes mass
    }

    [Fact]
    public void Kernel_is_the_response_of_the_simulated_CubaLif()
    {
        // unit current jump: X[0] = 1 enters I at step 1, so U after step t+1 is k[t]
        var p = new CubaLifParameters(1e-3, 20e-3, 10e-3, theta: 1e9);
        CubaLifState s = CubaLif.Initial([1], ScalarType.Float64, CPU);
        var sur = new SuperSpike();
        (_, s) = CubaLif.Step(tensor(new[] { 1.0 }, ScalarType.Float64), s, p, sur);
        double[] k = Cuba(20e-3, 10e-3, 1e-3).Kernel();
        for (int t = 0; t < 40; t++)
        {
            (_, s) = CubaLif.Step(zeros(1, ScalarType.Float64), s, p, sur);
            Assert.True(Math.Abs(k[t] - s.U.item<double>()) < 1e-12, $"t={t}: kernel {k[t]} vs simulated {s.U.item<double>()}");
        }
    }

    public static TheoryData<string, int, double, double, double, double, double, double, double> WeightRows() => new()
    {
        // eps, n, nu, sigma_U=0.5, 1, 2, xi=3, mu_W(0.5,2), sigma_W(0.5,2)
        { "a", 20, 15.8, 0.688973, 1.37795, 2.75589, 0.459315, 0.158228, 0.305998 },
        { "a", 20, 10, 0.866025, 1.73205, 3.4641, 0.57735, 0.25, 0.353553 },
        { "a", 128, 15.8, 0.27234, 0.544681, 1.08936, 0.18156, 0.0247231, 0.133907 },
        { "a", 128, 10, 0.342327, 0.684653, 1.36931, 0.228218, 0.0390625, 0.166646 },
        { "a", 700, 15.8, 0.116458, 0.232915, 0.465831, 0.0776384, 0.0045208, 0.0580531 },
        { "a", 700, 10, 0.146385, 0.29277, 0.58554, 0.09759, 0.00714286, 0.0728431 },
        { "1", 20, 15.8, 0.655372, 1.31074, 2.62149, 0.436915, 0.150588, 0.291035 },
        { "1", 20, 10, 0.82379, 1.64758, 3.29516, 0.549193, 0.237929, 0.336225 },
        { "1", 128, 15.8, 0.259058, 0.518117, 1.03623, 0.172706, 0.0235293, 0.127374 },
        { "1", 128, 10, 0.325631, 0.651263, 1.30253, 0.217088, 0.0371763, 0.158515 },
        { "1", 700, 15.8, 0.110778, 0.221556, 0.443112, 0.073852, 0.00430251, 0.0552217 },
        { "1", 700, 10, 0.139246, 0.278492, 0.556983, 0.0928306, 0.00679796, 0.0692903 },
        { "2", 20, 15.8, 0.623418, 1.24684, 2.49367, 0.415612, 0.143423, 0.276753 },
        { "2", 20, 10, 0.783624, 1.56725, 3.1345, 0.522416, 0.226608, 0.319633 },
        { "2", 128, 15.8, 0.246427, 0.492855, 0.98571, 0.164285, 0.0224098, 0.121159 },
        { "2", 128, 10, 0.309755, 0.619509, 1.23902, 0.206503, 0.0354075, 0.150776 },
        { "2", 700, 15.8, 0.105377, 0.210754, 0.421507, 0.0702512, 0.0040978, 0.0525288 },
        { "2", 700, 10, 0.132457, 0.264913, 0.529826, 0.0883044, 0.00647452, 0.0659111 },
    };

    [Theory]
    [MemberData(nameof(WeightRows))]
    public void Weight_parameters_match_spec_12_2(string eps, int n, double nu, double s05, double s1, double s2, double xi3, double mu, double sigma)
    {
        KernelIntegrals e = eps switch { "a" => Analytical, "1" => Num1, _ => Num2 };
        T.Relative(s05, FluctuationTheory.WeightParameters(n, nu, 0, 1 / 0.5, e).Std, Tol, "sigma_U=0.5");
        T.Relative(s1, FluctuationTheory.WeightParameters(n, nu, 0, 1, e).Std, Tol, "sigma_U=1");
        T.Relative(s2, FluctuationTheory.WeightParameters(n, nu, 0, 1 / 2.0, e).Std, Tol, "sigma_U=2");
        T.Relative(xi3, FluctuationTheory.WeightParameters(n, nu, 0, 3, e).Std, Tol, "xi=3");
        WeightMoments general = FluctuationTheory.WeightParameters(n, nu, 0.5, 2, e);
        T.Relative(mu, general.Mean, Tol, "mu_W");
        T.Relative(sigma, general.Std, Tol, "sigma_W");
        Assert.Equal(0, FluctuationTheory.WeightParameters(n, nu, 0, 1, e).Mean);
    }

    [Fact]
    public void Centered_initializer_equals_the_closed_form_and_round_trips_through_Campbell()
    {
        // the centered form through the initializer API, CUBA neuron dt = 2 ms (docs/THEORY.md §F12.3)
        var neuron = new CubaLifNeuron(new CubaLifParameters(2e-3));
        Prediction p = new FluctuationDriven(1.0).Theory(InitContext.Dense(700, 128, neuron, InputStatistics.Poisson(15.8, 2e-3)));
        T.Relative(0.210754, p.WeightStd, Tol);
        T.Relative(1.0, p.MembraneStd!.Value, 1e-12, "sigma_U");
        Assert.Equal(0, p.MembraneMean!.Value, 12);
        T.Relative(2.21642, new FluctuationDriven(1.0).Theory(InitContext.Dense(20, 128, neuron, InputStatistics.Poisson(5, 2e-3))).WeightStd, Tol);
        T.Relative(2.44949, new FluctuationDriven(1.0, epsilon: EpsilonMode.Analytical).Theory(InitContext.Dense(20, 128, neuron, InputStatistics.Poisson(5, 2e-3))).WeightStd, Tol);
        var readout = new CubaLifNeuron(new CubaLifParameters(2e-3, 0.2, 10e-3, reset: false));
        T.Relative(2.32144, new FluctuationDriven(1.0).Theory(InitContext.Dense(128, 10, readout, InputStatistics.Poisson(5, 2e-3))).WeightStd, Tol);
        T.Relative(0.221556, FluctuationTheory.WeightParameters(700, 15.8, 0, 1, Num1).Std, Tol);
        T.Relative(0.0377964, new Kaiming(Gain: 1).Theory(InitContext.Dense(700, 128, neuron, InputStatistics.Poisson(15.8, 2e-3))).WeightStd, Tol);
        // general form: recomputing μ_U, σ_U from the moments returns the targets
        Prediction g = FluctuationDriven.General(0.5, 2).Theory(InitContext.Dense(128, 64, neuron, InputStatistics.Poisson(10, 2e-3)));
        T.Relative(0.5, g.MembraneMean!.Value, 1e-12, "mu_U");
        T.Relative(0.25, g.MembraneStd!.Value, 1e-12, "sigma_U");
        T.Relative(0.0354075, g.WeightMean, Tol);
    }

    [Theory]
    [InlineData(700, 128, 0.0, 1.0, 0.0, 0.199938, 0.155854)]
    [InlineData(700, 128, 0.5, 2.0, 0.00346432, 0.0498644, 0.0388093)]
    [InlineData(21, 80, 0.0, 1.0, 0.0, 1.15435, 0.197142)]
    [InlineData(112, 160, 0.0, 1.0, 0.0, 0.499846, 0.1394)]
    [InlineData(224, 320, 0.0, 1.0, 0.0, 0.353445, 0.098571)]
    public void Recurrent_split_matches_spec_12_4(int ff, int rec, double muU, double xi, double muW, double sff, double srec)
    {
        WeightMoments[] w = FluctuationTheory.LayerParameters([new Afferent(ff, false), new Afferent(rec, true)], 15.8, muU, xi, Num2, 0.9);
        if (muW == 0) Assert.Equal(0, w[0].Mean);
        else T.Relative(muW, w[0].Mean, Tol);
        Assert.Equal(w[0].Mean, w[1].Mean);
        T.Relative(sff, w[0].Std, Tol, "ff");
        T.Relative(srec, w[1].Std, Tol, "rec");
        double mu = ff * 15.8 * Num2.Mean * w[0].Mean + rec * 15.8 * Num2.Mean * w[1].Mean;
        double sd = Math.Sqrt(ff * 15.8 * Num2.Square * w[0].SecondMoment + rec * 15.8 * Num2.Square * w[1].SecondMoment);
        Assert.Equal(muU, mu, 12);
        T.Relative((1 - muU) / xi, sd, 1e-12);
        // α ignored without recurrence
        T.Relative(0.210754, FluctuationTheory.LayerParameters([new Afferent(700, false)], 15.8, 0, 1, Num2, 0.9)[0].Std, Tol);
    }

    [Fact]
    public void Recurrent_initializer_uses_the_split_with_the_masked_fan_in()
    {
        var neuron = new CubaLifNeuron(new CubaLifParameters(2e-3));
        var ctx = new InitContext(ConnectionKind.Recurrent, 700, 129, neuron, InputStatistics.Poisson(15.8, 2e-3), recurrentFanIn: 128, units: 129);
        Prediction p = new FluctuationDriven().Theory(ctx);
        T.Relative(0.199938, p.WeightStd, Tol);
        T.Relative(0.155854, p.RecurrentWeightStd!.Value, Tol);
        T.Relative(1.0, p.MembraneStd!.Value, 1e-12);
    }

    [Fact]
    public void Dale_rates_match_spec_12_5()
    {
        KernelIntegrals exc = Cuba(20e-3, 10e-3, 2e-3).KernelIntegrals(), inh = Cuba(20e-3, 20e-3, 2e-3).KernelIntegrals();
        T.Relative(0.0210057, inh.Mean, Tol);
        T.Relative(0.00553042, inh.Square, Tol);
        DaleRates r = FluctuationTheory.DaleParameters(700, 128, 32, 15.8, 1, exc, inh, 0.9);
        T.Relative(31.8373, r.FeedForward, Tol);
        T.Relative(40.8426, r.Recurrent, Tol);
        T.Relative(2.42543, r.Inhibitory, Tol);
        var (mean, std) = FluctuationTheory.DaleMembrane(700, 128, 32, 15.8, r, exc, inh);
        Assert.Equal(0, mean, 12);
        T.Relative(1, std, 1e-12);
        double vff = 15.8 * exc.Square * 2 * 700 / (r.FeedForward * r.FeedForward), vrec = 15.8 * exc.Square * 2 * 128 / (r.Recurrent * r.Recurrent);
        T.Relative(0.9, vff / (vff + vrec), 1e-12, "ff share");

        DaleRates nr = FluctuationTheory.DaleParameters(700, 0, 32, 15.8, 1, exc, inh, 0.9);
        T.Relative(27.9854, nr.FeedForward, Tol);
        T.Relative(2.43588, nr.Inhibitory, Tol);
        T.Relative(0.0357329, new ExponentialWeights(nr.FeedForward).Mean, Tol);
        T.Relative(0.41053, 1 / nr.Inhibitory, Tol);

        DalePlan plan = new FluctuationDriven().Dale(new DaleContext(700, 128, 32, new CubaExcInhParameters(), 15.8));
        T.Relative(0.0314097, plan.FeedForward.Mean, Tol);
        T.Relative(0.0244842, plan.Recurrent!.Mean, Tol);
        T.Relative(0.412297, plan.Inhibitory.Mean, Tol);
    }

    [Theory]
    [InlineData(5, 10, 0.5, 2, "a", 66.6667)]
    [InlineData(700, 15.8, 0.9, 3, "a", 12150)]
    [InlineData(700, 15.8, 0.9, 3, "2", 12192.5)]
    public void Infeasible_targets_throw_naming_the_critical_count(int n, double nu, double muU, double xi, string eps, double critical)
    {
        KernelIntegrals e = eps == "a" ? Analytical : Num2;
        T.Relative(critical, FluctuationTheory.CriticalInputCount(muU, xi, e), Tol);
        var ex = Assert.Throws<InfeasibleInitializationException>(() => FluctuationTheory.WeightParameters(n, nu, muU, xi, e));
        Assert.Contains($"critical n*nu = {Validate.Format(FluctuationTheory.CriticalInputCount(muU, xi, e))}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"n*nu = {Validate.Format(n * nu)}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feasible_counterpart_and_infeasible_mu_W_sigma_W_values()
    {
        WeightMoments w = FluctuationTheory.WeightParameters(20, 5, 0.5, 2, Analytical);
        T.Relative(0.5, w.Mean, 1e-12);
        T.Relative(0.125, w.Std * w.Std, 1e-12);
        // the infeasible rows' μ_W (σ_W² < 0 is what makes them throw)
        T.Relative(1, 0.5 / (5 * 10 * Analytical.Mean), 1e-12);
        T.Relative(0.00813743, 0.9 / (700 * 15.8 * Analytical.Mean), Tol);
        T.Relative(0.00737604, 0.9 / (700 * 15.8 * Num2.Mean), Tol);
    }

    [Fact]
    public void Invalid_targets_name_the_parameter()
    {
        Assert.Contains("xi = 0", Assert.Throws<ArgumentOutOfRangeException>(() => FluctuationTheory.WeightParameters(10, 5, 0, 0, Num2)).Message, StringComparison.Ordinal);
        Assert.Contains("mu_u = 1", Assert.Throws<ArgumentOutOfRangeException>(() => FluctuationTheory.WeightParameters(10, 5, 1, 1, Num2)).Message, StringComparison.Ordinal);
        Assert.Contains("rate = -1", Assert.Throws<ArgumentOutOfRangeException>(() => FluctuationTheory.WeightParameters(10, -1, 0, 1, Num2)).Message, StringComparison.Ordinal);
        Assert.Contains("sigma_u = 0", Assert.Throws<ArgumentOutOfRangeException>(() => new FluctuationDriven(0)).Message, StringComparison.Ordinal);
        Assert.Contains("alpha = 1", Assert.Throws<ArgumentOutOfRangeException>(() => new FluctuationDriven(1, alpha: 1)).Message, StringComparison.Ordinal);
        var lif = new LifNeuron();
        Assert.Contains("presynaptic rate", Assert.Throws<ArgumentException>(() => new FluctuationDriven().Theory(InitContext.Dense(10, 10, new CubaLifNeuron(), InputStatistics.Gaussian()))).Message, StringComparison.Ordinal);
        Assert.Contains("fan_in = 0", Assert.Throws<ArgumentOutOfRangeException>(() => InitContext.Dense(0, 10, lif, InputStatistics.Gaussian())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_driven_matches_spec_8()
    {
        WeightMoments w = FluctuationTheory.MeanDrivenParameters(700, 700, 15.8, Analytical, 0.9);
        T.Relative(9.04159132e-3, w.Mean, 1e-8);
        T.Relative(2.20962877e-1, w.Std, 1e-8);
        // through the initializer: the free-membrane mean sits at θ
        var neuron = new CubaLifNeuron(new CubaLifParameters(2e-3));
        Prediction p = new MeanDriven().Theory(InitContext.Dense(700, 128, neuron, InputStatistics.Poisson(15.8, 2e-3)));
        T.Relative(1.0, p.MembraneMean!.Value, 1e-12);
    }
}

/// <summary>docs/THEORY.md §S8.</summary>
public class StabilityVectorTests
{
    [Fact]
    public void Surrogate_profiles_match_spec_values()
    {
        double[] xs = [-2, -1, -0.5, 0, 0.5, 1, 2];
        var rows = new (SurrogateShape Shape, double Q, double[] Values)[]
        {
            (SurrogateShape.Rectangular, 1.56, [0, 0, 0, 1, 0, 0, 0]),
            (SurrogateShape.Triangular, 1.56, [0, 0, 0.5, 1, 0.5, 0, 0]),
            (SurrogateShape.Exponential, 1.56, [0.018316, 0.135335, 0.367879, 1, 0.367879, 0.135335, 0.018316]),
            (SurrogateShape.Gaussian, 1.56, [0.000003, 0.043214, 0.455938, 1, 0.455938, 0.043214, 0.000003]),
            (SurrogateShape.SigmoidDerivative, 1.56, [0.001341, 0.070651, 0.419974, 1, 0.419974, 0.070651, 0.001341]),
            (SurrogateShape.FastSigmoid, 1.56, [0.04, 0.111111, 0.25, 1, 0.25, 0.111111, 0.04]),
            (SurrogateShape.QPseudoSpike, 1.5, [0.037037, 0.089443, 0.19245, 1, 0.19245, 0.089443, 0.037037]),
            (SurrogateShape.QPseudoSpike, 4, [0.033736, 0.1296, 0.316406, 1, 0.316406, 0.1296, 0.033736]),
        };
        foreach (var (shape, q, values) in rows)
        {
            var s = new NormalizedSurrogate(shape, q: q);
            T.Close(values, [.. xs.Select(s.Derivative)], 6e-7, shape.ToString());
        }
    }

    [Theory]
    [InlineData(SurrogateShape.Rectangular, 1.56, 0.3, 0.5, 1)]
    [InlineData(SurrogateShape.Triangular, 1.56, 0.219, 0.33333333, 0.66666667)]
    [InlineData(SurrogateShape.Exponential, 1.56, 0.17470145, 0.24972156, 0.5)]
    [InlineData(SurrogateShape.Gaussian, 1.56, 0.25188281, 0.35355339, 0.70710678)]
    [InlineData(SurrogateShape.SigmoidDerivative, 1.56, 0.24270861, 0.33333086, 0.66666667)]
    [InlineData(SurrogateShape.FastSigmoid, 1.56, 0.12597656, 0.16471012, 0.33333333)]
    [InlineData(SurrogateShape.QPseudoSpike, 1.5, 0.09917355, 0.12294543, 0.25)]
    [InlineData(SurrogateShape.QPseudoSpike, 4, 0.1544825, 0.21322014, 0.42857143)]
    public void Half_square_integrals_match_spec(SurrogateShape shape, double q, double at03, double at17, double full)
    {
        Assert.Equal(at03, StabilityTheory.HalfSquareIntegral(shape, 0.3, q), 8);
        Assert.Equal(at17, StabilityTheory.HalfSquareIntegral(shape, 1.7, q), 8);
        Assert.Equal(-at17, StabilityTheory.HalfSquareIntegral(shape, -1.7, q), 8);
        Assert.Equal(full, StabilityTheory.SquareIntegral(shape, q), 8);
        // F₂ is the integral of the implemented derivative squared (midpoint rule, 20 000 cells)
        var s = new NormalizedSurrogate(shape, q: q);
        double h = 1.7 / 20000, sum = 0;
        for (int i = 0; i < 20000; i++) sum += Math.Pow(s.Derivative((i + 0.5) * h), 2) * h;
        Assert.Equal(at17, sum, 4); // midpoint rule, h = 8.5e-5 (the rectangle's jump costs up to h)
    }

    [Fact]
    public void Second_moment_and_roots_match_the_pure_function_vectors()
    {
        var v = new VoltageRange(-1, 1);
        Assert.Equal(0.2454210903, StabilityTheory.SurrogateSecondMoment(SurrogateShape.Exponential, 1, 1, v, 0), 10);
        Assert.Equal(0.1604938272, StabilityTheory.SurrogateSecondMoment(SurrogateShape.FastSigmoid, 1, 1, v, 0), 10);
        T.Relative(2.4998864486, StabilityTheory.SolveSharpness(0.1, SurrogateShape.Exponential, 1, v, 0).Value, 1e-9);
        T.Relative(1.2412785579, StabilityTheory.SolveSharpness(0.2, SurrogateShape.Exponential, 1, v, 0).Value, 1e-9);
        T.Relative(0.7992647866, StabilityTheory.SolveSharpness(0.3, SurrogateShape.Exponential, 1, v, 0).Value, 1e-9);
        T.Relative(1.3567328038, StabilityTheory.SolveTailFatness(0.1, 1, 1, v, 0).Value, 1e-9);
        T.Relative(3.3515108494, StabilityTheory.SolveTailFatness(0.2, 1, 1, v, 0).Value, 1e-9);
        Assert.Equal(RootStatus.TargetTooLarge, StabilityTheory.SolveTailFatness(0.3, 1, 1, v, 0).Status);
        Assert.Equal(RootStatus.TargetTooLarge, StabilityTheory.SolveSharpness(1.5, SurrogateShape.Exponential, 1, v, 0).Status);
    }

    // Example A rows: reset, reset gradient kept, mu_W (I), var_W derived, var_W code, gamma (III), T (IV), vmin, vmax, beta_exp
    public static TheoryData<LifReset, bool, double, double, double, double, double, double, double, double> ExampleA() => new()
    {
        { LifReset.SubtractNextStep, true, 4.70588235e-03, 5.73181026e-03, 2.86036880e-03, 2.80010557e-03, 0.07700854, -226.342675, 228.342675, 0.014279701524189019 },
        { LifReset.SubtractNextStep, false, 4.70588235e-03, 5.73181026e-03, 2.86036880e-03, 2.88696153e-03, 0.12949319, -226.342675, 228.342675, 0.008488268759150064 },
        { LifReset.ZeroBeforeDecay, false, 4.31372549e-03, 5.73357881e-03, 2.86213735e-03, 2.89488786e-03, 0.40564281, -216.838362, 227.838362, 0.002460990861216864 },
        { LifReset.ZeroAfterInput, false, 8.62745098e-03, 5.70566647e-03, 2.83422501e-03, 2.81197866e-03, 0.80736789, -211.406835, 233.406835, 0.0004986485758095186 },
    };

    [Theory]
    [MemberData(nameof(ExampleA))]
    public void Conditions_match_example_A(LifReset lifReset, bool resetGradient, double muW, double varDerived, double varCode,
                                           double gamma, double target, double vmin, double vmax, double beta)
    {
        StabilityReset reset = StabilityBased.ResetOf(lifReset);
        const int N = 700, n = 255;
        double limitIn = Math.Sqrt(6.0 / (700 + 256)), varIn = limitIn * limitIn / 3;
        Assert.Equal(2.09205021e-3, varIn, 11);
        T.Relative(muW, StabilityTheory.RecurrentMean(reset, 0.9, 1, n), 1e-8, "I");
        double var2 = StabilityTheory.RecurrentVariance(N, varIn, 0.5, 0.25, n, muW);
        T.Relative(varDerived, var2, 1e-8, "II derived");
        T.Relative(varCode, StabilityTheory.RecurrentVariance(N, varIn, 0.5, 0.25, n, muW, FormulaVariant.Code), 1e-8, "II code");
        double L = Math.Sqrt(3 * var2);
        double thetaReset = reset == StabilityReset.Minus && resetGradient ? 1 : 0;
        T.Relative(gamma, StabilityTheory.Dampening(0.9, muW + L, muW - L, n, thetaReset), 1e-8, "III");
        double t = StabilityTheory.SurrogateTarget(reset, 0.9, 1, n, var2 + muW * muW, resetGradient);
        T.Relative(target, t, 1e-7, "IV");
        VoltageRange v = StabilityTheory.ExpectedVoltageRange(reset, 0.9, 1, n, muW, L, N, 0, limitIn);
        T.Relative(vmin, v.Min, 1e-8, "vmin");
        T.Relative(vmax, v.Max, 1e-8, "vmax");
        T.Relative(beta, StabilityTheory.SolveSharpness(t, SurrogateShape.Exponential, 1, v, 1).Value, 1e-8, "beta");
    }

    [Fact]
    public void Example_A_through_the_initializer_and_the_code_variant_of_post_reset_I()
    {
        var neuron = new LifNeuron(new LifParameters(0.9, 1, LifReset.SubtractNextStep, new SpikeOptions(DetachReset: false)),
                                   new NormalizedSurrogate(SurrogateShape.Exponential));
        var ctx = InitContext.Recurrent(700, 256, neuron, InputStatistics.Spikes(0.5));
        LayerPlan plan = new StabilityBased().Plan(ctx);
        T.Relative(4.70588235e-03, plan.RecurrentWeight!.Mean, 1e-8);
        T.Relative(Math.Sqrt(5.73181026e-03), plan.RecurrentWeight.Std, 1e-8);
        T.Relative(2.80010557e-03, plan.Theory.SurrogateDampening!.Value, 1e-8);
        T.Relative(0.0142797015, plan.Theory.SurrogateSharpness!.Value, 1e-8);
        var chosen = Assert.IsType<NormalizedSurrogate>(plan.Surrogate);
        Assert.Equal(SurrogateShape.Exponential, chosen.Shape);
        Assert.Equal(0.5, plan.Theory.FiringProbability);
        T.Relative(7.84313725e-4, StabilityTheory.RecurrentMean(StabilityReset.Post, 0.9, 1, 255, 0, FormulaVariant.Code), 1e-8);
        // detached reset (the simulation default) gives the no-reset-gradient row
        LayerPlan detached = new StabilityBased().Plan(ctx with { Neuron = neuron with { Parameters = neuron.Parameters with { Spike = SpikeOptions.Default with { DetachReset = true } } } });
        T.Relative(0.0084882688, detached.Theory.SurrogateSharpness!.Value, 1e-8);
    }

    [Fact]
    public void Example_B_reports_infeasible_condition_IV()
    {
        const int N = 700, n = 255;
        double varIn = 6.0 / 956 / 3;
        T.Relative(5.63215628e-4, StabilityTheory.RecurrentVariance(N, varIn, 0.05, 0.0475, n, 4.70588235294e-3), 1e-7);
        T.Relative(5.64984179e-4, StabilityTheory.RecurrentVariance(N, varIn, 0.05, 0.0475, n, 4.31372549e-3), 1e-7);
        T.Relative(5.37071838e-4, StabilityTheory.RecurrentVariance(N, varIn, 0.05, 0.0475, n, 8.62745098e-3), 1e-7);
        var sparse = new InputStatistics(0.05, 0.0475, binary: false);
        var minus = new LifNeuron(new LifParameters(0.9, 1, LifReset.SubtractNextStep, new SpikeOptions(DetachReset: false)), new NormalizedSurrogate(SurrogateShape.Exponential));
        Prediction ok = new StabilityBased().Theory(InitContext.Recurrent(N, 256, minus, sparse));
        T.Relative(0.0088642060, ok.SurrogateSharpness!.Value, 1e-7);
        foreach (LifReset r in new[] { LifReset.ZeroBeforeDecay, LifReset.ZeroAfterInput })
        {
            var neuron = minus with { Parameters = minus.Parameters with { Reset = r } };
            Prediction p = new StabilityBased().Theory(InitContext.Recurrent(N, 256, neuron, sparse));
            Assert.Contains(p.Notes, note => note.StartsWith("condition IV has no solution", StringComparison.Ordinal));
            Assert.Equal(1.0, p.SurrogateSharpness); // left unchanged
        }
        T.Relative(1.27288646, StabilityTheory.SurrogateTarget(StabilityReset.Minus, 0.9, 1, n, 5.63215628e-4 + Math.Pow(4.70588235e-3, 2), false), 1e-7);
        T.Relative(3.99822429, StabilityTheory.SurrogateTarget(StabilityReset.Pre, 0.9, 1, n, 5.64984179e-4 + Math.Pow(4.31372549e-3, 2), false), 1e-7);
        T.Relative(7.63144797, StabilityTheory.SurrogateTarget(StabilityReset.Post, 0.9, 1, n, 5.37071838e-4 + Math.Pow(8.62745098e-3, 2), false), 1e-7);
    }

    [Fact]
    public void Example_C_code_defaults_are_infeasible()
    {
        double t = StabilityTheory.SurrogateTarget(StabilityReset.Minus, Math.Exp(-10), 0.01, 255, 2.0 / 512, true);
        T.Relative(1.003821, t, 1e-6);
        Assert.True(t > 1);
    }

    [Fact]
    public void Tail_fatness_solve_and_errors()
    {
        var neuron = new LifNeuron(new LifParameters(0.9, 1, LifReset.ZeroBeforeDecay), new NormalizedSurrogate(SurrogateShape.QPseudoSpike));
        Prediction p = new StabilityBased(Solve: SurrogateTarget.TailFatness).Theory(InitContext.Recurrent(700, 256, neuron, InputStatistics.Spikes(0.5)));
        Assert.NotNull(p.Notes);
        Assert.True(p.SurrogateTailFatness is null || p.SurrogateTailFatness > 1);
        Assert.Contains("reset = SubtractBeforeDecay", Assert.Throws<ArgumentException>(() =>
            new StabilityBased().Theory(InitContext.Recurrent(10, 10, new LifNeuron(new LifParameters(0.9, 1, LifReset.SubtractBeforeDecay)), InputStatistics.Spikes(0.5)))).Message, StringComparison.Ordinal);
        Assert.Throws<InfeasibleInitializationException>(() =>
            new StabilityBased().Theory(InitContext.Recurrent(1, 300, neuron, new InputStatistics(0, 1e-6, binary: false))));
    }
}
