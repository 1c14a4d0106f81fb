using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Theory;

namespace SpikeInit.Tests;

/// <summary>Closed forms of the connection-wise methods against docs/THEORY.md §M-C1–M-C2.</summary>
public class ConnectionInitializerTests
{
    private static readonly LifNeuron Lif1 = new(new LifParameters(0.5, 1.0));

    private static Prediction Predict(string method, int n, Neuron? neuron = null, int fanOut = 0) =>
        Initializers.Create(method).Theory(InitContext.Dense(n, fanOut == 0 ? n : fanOut, neuron ?? Lif1, InputStatistics.FromMembrane(1.0)));

    [Theory]
    [InlineData(0.0, 0.141421, 0.057735, 0.044721)]
    [InlineData(0.25, 0.157859, 0.064446, 0.049919)]
    [InlineData(0.5, 0.180030, 0.073497, 0.056931)]
    [InlineData(0.75, 0.210060, 0.085757, 0.066427)]
    [InlineData(1.0, 0.251057, 0.102494, 0.079391)]
    [InlineData(1.5, 0.386891, 0.157947, 0.122346)]
    public void Micheli_std_matches_C1(double theta, double n100, double n600, double n1000)
    {
        // θ = 0 is the degenerate ReLU-like case: the neuron needs θ > 0, so the input statistics carry p = 1/2 directly
        foreach (var (n, expected) in new[] { (100, n100), (600, n600), (1000, n1000) })
        {
            double std = theta == 0
                ? new Micheli(ProbabilitySource.Measured).Theory(InitContext.Dense(n, n, Lif1, InputStatistics.Spikes(0.5))).WeightStd
                : new Micheli().Theory(InitContext.Dense(n, n, Lif1 with { Parameters = Lif1.Parameters with { Theta = theta } },
                                                          InputStatistics.FromMembrane(theta))).WeightStd;
            T.Close([expected], [std], 5.0001e-7, $"theta={theta} n={n}"); // printed to 6 decimals
        }
    }

    [Theory]
    [InlineData(0.25, 1.098895e-02)]
    [InlineData(0.5, 6.357311e-03)]
    [InlineData(2.0, 8.342021e-03)]
    [InlineData(4.0, 1.296439e-02)]
    public void Micheli_general_sigma_matches_C1(double variance, double expected)
    {
        var stats = InputStatistics.FromMembrane(1.0, variance);
        Prediction p = new Micheli().Theory(InitContext.Dense(1000, 1000, Lif1, stats));
        T.Relative(expected, p.WeightStd * p.WeightStd, 1e-6);
        T.Relative(variance, p.MembraneStd!.Value * p.MembraneStd.Value, 1e-12, "variance preserved");
    }

    [Fact]
    public void Micheli_measured_probability_is_used_as_given()
    {
        var stats = InputStatistics.Spikes(0.1);
        Prediction p = new Micheli(ProbabilitySource.Measured).Theory(InitContext.Dense(1000, 1000, Lif1, stats));
        T.Relative(1.0 / (1000 * 0.1), p.WeightStd * p.WeightStd, 1e-12);
        Assert.Contains("firing_probability", Assert.Throws<ArgumentException>(() =>
            new Micheli(ProbabilitySource.Measured).Theory(InitContext.Dense(10, 10, Lif1, InputStatistics.Gaussian()))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Baselines_match_C1_and_the_standard_formulas()
    {
        T.Close([0.141421, 0.044721], [Predict("kaiming", 100).WeightStd, Predict("kaiming-uniform", 1000).WeightStd], 5.0001e-7);
        T.Relative(Math.Sqrt(1.0 / 600), Predict("glorot", 600).WeightStd, 1e-12);
        var gu = Assert.IsType<UniformWeights>(Initializers.Create("glorot-uniform").Plan(InitContext.Dense(100, 100, Lif1, InputStatistics.Spikes(0.2))).Weight);
        T.Relative(0.173205, gu.High, 5e-6);
        var lee = Assert.IsType<UniformWeights>(Initializers.Create("lee2016").Plan(InitContext.Dense(600, 10, Lif1, InputStatistics.Spikes(0.2))).Weight);
        T.Relative(0.070711, lee.High, 5e-6);
        T.Relative(Math.Sqrt(2.0 / 1000), Predict("lee2020", 1000, fanOut: 5).WeightStd, 1e-12);
        T.Relative(Math.Sqrt(0.5 / 100), new Lee2020(0.5).Theory(InitContext.Dense(100, 10, Lif1, InputStatistics.Spikes(0.2))).WeightStd, 1e-12);
        T.Relative(1 / Math.Sqrt(500), Predict("wu", 500).WeightStd, 1e-12);
        T.Relative(Math.Sqrt(2.0 / (400 + 800)), Initializers.Create("glorot").Theory(InitContext.Convolution(16, 32, 5, Lif1, InputStatistics.Spikes(0.1))).WeightStd, 1e-12);
        Assert.Equal(Initializers.Names.Count, Initializers.Names.Distinct().Count());
        foreach (string name in Initializers.Names) Assert.Equal(name, Initializers.Create(name).Name);
        Assert.Contains("choose one of", Assert.Throws<ArgumentException>(() => Initializers.Create("bogus")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.8, 0.2, 1.0, 1.000000e-01, 0.5)]
    [InlineData(0.3, 0.1, 1.0, 4.000000e-01, 3.5)]
    [InlineData(0.5, 4.0, 1.0, 2.500000e-04, 0.0625)]
    [InlineData(0.6, 0.3, 4.0, 7.111111e-01, 2.666667)]
    [InlineData(1.0, 1.0, 1.0, 4.000000e-03, 0.0)]
    public void Asymptote_matches_C2(double k, double lambda, double theta, double variance, double bias)
    {
        var neuron = new KLambdaNeuron(new KLambdaParameters(k, lambda, theta));
        LayerPlan plan = new Asymptote().Plan(InitContext.Dense(500, 100, neuron, InputStatistics.Gaussian()));
        T.Relative(variance, plan.Weight.Std * plan.Weight.Std, 1e-6);
        Assert.Equal(bias, plan.Bias, 6);
        // k = 1, λ = θ is exactly He normal
        if (k == 1 && lambda == theta) T.Relative(new Kaiming().Theory(InitContext.Dense(500, 100, neuron, InputStatistics.Gaussian())).WeightStd, plan.Weight.Std, 1e-12);
    }

    [Fact]
    public void Asymptote_rejects_current_based_neurons_and_needs_a_bias()
    {
        Assert.Contains("k/lambda", Assert.Throws<ArgumentException>(() =>
            new Asymptote().Theory(InitContext.Dense(10, 10, new CubaLifNeuron(), InputStatistics.Gaussian()))).Message, StringComparison.Ordinal);
        LayerPlan plan = new Asymptote().Plan(InitContext.Dense(10, 4, new KLambdaNeuron(), InputStatistics.Gaussian()));
        Assert.Contains("no bias", Assert.Throws<ArgumentException>(() => plan.Apply(zeros(4, 10))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kaiming_mean_field_map_falls_out_of_the_shared_theory()
    {
        // V_l = 2·Q(θ/√V_{l−1}) (docs/THEORY.md §M-C5): θ = 1, V_0 = 1 → V_1 = 2Q(1), V_2 = 0.0759
        var stats = InputStatistics.FromMembrane(1.0);
        Prediction l1 = new Kaiming().Theory(InitContext.Dense(1000, 1000, Lif1, stats));
        T.Relative(2 * Gaussian.Tail(1), l1.MembraneStd!.Value * l1.MembraneStd.Value, 1e-12);
        Prediction l2 = new Kaiming().Theory(InitContext.Dense(1000, 1000, Lif1, l1.Output));
        Assert.Equal(0.0759, l2.MembraneStd!.Value * l2.MembraneStd.Value, 4);
    }
}

/// <summary>Weights drawn by every method have the predicted mean and standard deviation (fixed seeds).</summary>
public class InitializerSamplingTests
{
    private static readonly LifNeuron Lif = new(new LifParameters(0.9, 1.0), new NormalizedSurrogate(SurrogateShape.FastSigmoid));

    private static (Neuron Neuron, InputStatistics Input) Setting(string method) => method switch
    {
        "fluctuation" or "mean-driven" => (new CubaLifNeuron(), InputStatistics.Poisson(15.8, 2e-3)),
        "asymptote" => (new KLambdaNeuron(), InputStatistics.Gaussian()),
        "stability" => (Lif, InputStatistics.Spikes(0.5)),
        _ => (Lif, InputStatistics.FromMembrane(1.0)),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string m in Initializers.Names)
            foreach (string kind in new[] { "dense", "conv", "recurrent" })
                data.Add(m, kind);
        return data;
    }

    /// <summary>
    /// Sample mean within 5 standard errors σ/√N, sample std within 5 standard errors σ·√((κ − 1)/(4N)) ≤ σ·√(2/N)
    /// (κ ≤ 9 covers normal, uniform and exponential); N ≥ 40 000 per tensor.
    /// </summary>
    private static void AssertMoments(Tensor w, WeightDistribution d, string what)
    {
        double[] values = T.Array(w);
        int n = values.Length;
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        Assert.True(Math.Abs(mean - d.Mean) <= 5 * d.Std / Math.Sqrt(n) + 1e-12, $"{what}: mean {mean:G6} vs {d.Mean:G6} ({d.Description})");
        Assert.True(Math.Abs(std - d.Std) <= 5 * d.Std * Math.Sqrt(2.0 / n), $"{what}: std {std:G6} vs {d.Std:G6} ({d.Description})");
        Assert.True(values.All(double.IsFinite));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sampled_weights_match_the_plan(string method, string kind)
    {
        var (neuron, input) = Setting(method);
        Initializer init = Initializers.Create(method);
        using var g = new Generator(1234);
        (InitContext ctx, Tensor w, Tensor? rec) = kind switch
        {
            "dense" => (InitContext.Dense(500, 200, neuron, input), empty(200, 500, ScalarType.Float64), (Tensor?)null),
            "conv" => (InitContext.Convolution(16, 256, 5, neuron, input), empty(256, 16, 5, 5, ScalarType.Float64), null),
            _ => (InitContext.Recurrent(400, 300, neuron, input), empty(300, 400, ScalarType.Float64), empty(300, 300, ScalarType.Float64)),
        };
        LayerPlan plan = init.Plan(ctx);
        Tensor bias = full(w.shape[0], double.NaN, ScalarType.Float64);
        plan.Apply(w, bias, rec, g);
        AssertMoments(w, plan.Weight, $"{method}/{kind} weight");
        Assert.True(bias.eq(plan.Bias).all().item<bool>(), "bias filled with the planned constant");
        Assert.Equal(plan.Weight.Mean, plan.Theory.WeightMean);
        Assert.Equal(plan.Weight.Std, plan.Theory.WeightStd);
        if (kind == "recurrent")
        {
            Assert.NotNull(plan.RecurrentWeight);
            AssertMoments(rec!, plan.RecurrentWeight!, $"{method}/recurrent weight");
            Assert.Equal(plan.RecurrentWeight!.Std, plan.Theory.RecurrentWeightStd);
        }
        if (method == "wu")
        {
            Tensor norms = w.view(w.shape[0], -1).square().sum(dim: 1);
            Assert.True(norms.sub(1).abs().max().item<double>() < 1e-12, "Wu rows have unit L2 norm");
        }
        if (method == "asymptote") Assert.Equal(0.5, plan.Bias, 12);
    }

    [Fact]
    public void Dale_exponential_weights_match_their_rates()
    {
        DalePlan plan = new FluctuationDriven().Dale(new DaleContext(700, 128, 32, new CubaExcInhParameters(), 15.8));
        using var g = new Generator(7);
        foreach (ExponentialWeights d in new[] { plan.FeedForward, plan.Recurrent!, plan.Inhibitory })
        {
            Tensor w = empty(200, 500, ScalarType.Float64);
            using (no_grad()) d.Fill(w, g);
            Assert.True(w.min().item<double>() >= 0, "Dale weights are non-negative");
            AssertMoments(w, d, d.Description);
        }
    }

    [Fact]
    public void Same_seed_same_weights_and_different_seed_different_weights()
    {
        var ctx = InitContext.Dense(50, 20, Lif, InputStatistics.FromMembrane(1));
        Tensor Draw(long seed)
        {
            using var g = new Generator((ulong)seed);
            Tensor w = empty(20, 50);
            new Micheli().Apply(ctx, w, generator: g);
            return w;
        }
        Assert.True(Draw(3).equal(Draw(3)).all().item<bool>());
        Assert.False(Draw(3).equal(Draw(4)).all().item<bool>());
    }
}

/// <summary>Network-level initialization: every block type, statistics propagated layer to layer.</summary>
public class NetworkInitializerTests
{
    [Fact]
    public void Stork_network_gets_the_notebook_weights_with_one_global_rate()
    {
        // Randman setting (docs/THEORY.md §F12.3): 20 inputs at 5 Hz → 128 CUBA → readout with τ_mem = 0.2 s; dt = 2 ms
        SpikingNetwork net = SpikingNetwork.Create(Architectures.CurrentBased(20, [128], 10));
        using var g = new Generator(1);
        var init = NetworkInitializer.Initialize(net, new FluctuationDriven(1.0), InputStatistics.Poisson(5, 2e-3), g);
        T.Relative(2.21642, init[0].Theory!.WeightStd, 1e-5, "input → hidden");
        T.Relative(2.32144, init[1].Theory!.WeightStd, 1e-5, "hidden → readout");
        Assert.Equal(5, init[1].Context!.Input.Rate);
        var hidden = (DenseBlock)net.Blocks[0];
        T.Relative(2.21642, hidden.Weight.std().item<float>(), 0.07, "drawn std (2560 weights: 5 standard errors)");
    }

    [Fact]
    public void Ding_conv_net_is_initialized_through_conv_pool_and_dense_blocks()
    {
        SpikingNetwork net = SpikingNetwork.Create(Architectures.DingConvMnist());
        using var g = new Generator(2);
        var init = NetworkInitializer.Initialize(net, new Asymptote(), InputStatistics.Gaussian(0.13, 0.09), g);
        Assert.Equal(net.Blocks.Count, init.Count);
        var conv = (ConvBlock)net.Blocks[0];
        Assert.Equal(9, init[0].Context!.FanIn);
        Assert.Equal(32 * 9, init[2].Context!.FanIn);
        T.Relative(Math.Sqrt(2 * 1.0 / (9 * 0.04)), init[0].Theory!.WeightStd, 1e-12);
        Assert.True(conv.Bias!.eq(0.5).all().item<bool>());
        foreach (var p in net.parameters()) Assert.True(p.isfinite().all().item<bool>());
        // max pooling of spikes raises the firing probability: 1 − (1 − p)^4
        double p0 = init[0].Output.Mean, p1 = init[1].Output.Mean;
        Assert.Equal(1 - Math.Pow(1 - p0, 4), p1, 12);
        Assert.Equal(7 * 7 * 32, init[5].Context!.FanIn);
    }

    [Fact]
    public void Micheli_prediction_stays_at_one_through_depth_and_recurrent_blocks_get_both_weights()
    {
        var neuron = new LifNeuron(new LifParameters(0.5, 0.75));
        SpikingNetwork deep = SpikingNetwork.Create(Architectures.DeepDense(100, 100, 20, neuron));
        var init = NetworkInitializer.Initialize(deep, new Micheli(), InputStatistics.Gaussian());
        foreach (var layer in init.Skip(1)) T.Relative(1.0, Math.Pow(layer.Theory!.MembraneStd!.Value, 2), 1e-12);

        SpikingNetwork rec = SpikingNetwork.Create(Architectures.ShallowRecurrent(40, 32, 5));
        using var g = new Generator(4);
        var r = NetworkInitializer.Initialize(rec, new StabilityBased(), InputStatistics.Spikes(0.1), g);
        Assert.Equal(31, r[0].Context!.RecurrentFanIn);
        Assert.Equal(0.5, r[1].Context!.Input.Mean); // condition I: the next layer sees f = 1/2
        var block = (RecurrentBlock)rec.Blocks[1];
        Assert.Equal(r[1].Theory!.RecurrentWeightMean!.Value, block.RecurrentWeight.mean().item<float>(), 2);
    }

    [Fact]
    public void Mismatched_tensors_and_missing_rates_give_clear_errors()
    {
        var ctx = InitContext.Dense(10, 4, new LifNeuron(), InputStatistics.Spikes(0.2));
        Assert.Contains("fan_in = 10", Assert.Throws<ArgumentException>(() => new Kaiming().Apply(ctx, zeros(4, 11))).Message, StringComparison.Ordinal);
        SpikingNetwork net = SpikingNetwork.Create(Architectures.CurrentBased(20, [16], 2));
        var e = Assert.Throws<ArgumentException>(() => NetworkInitializer.Initialize(net, new FluctuationDriven(), InputStatistics.Gaussian()));
        Assert.StartsWith("layer 0 (DenseBlock): fluctuation needs the presynaptic rate", e.Message, StringComparison.Ordinal);
        foreach (var p in net.parameters()) Assert.True(p.isfinite().all().item<bool>());
    }
}
