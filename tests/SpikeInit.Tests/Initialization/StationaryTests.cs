using System.Text.Json.Nodes;
using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Theory;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// The time-aware initializer <c>stationary</c> (docs/THEORY.md §L6) against seeded simulations: its stationary
/// prediction for one layer, activity through depth over T = 20 steps for both β and both subtract orders, the registry
/// and <c>init --json</c>.
/// </summary>
public class StationaryTests(ITestOutputHelper output)
{
    private static LifNeuron Lif(double beta, LifReset reset) => new(new LifParameters(beta, 1.0, reset));

    [Fact]
    public void Registry_creates_it_and_the_prediction_carries_a_time_course()
    {
        Initializer init = Initializers.Create("stationary");
        Assert.IsType<Stationary>(init);
        var context = InitContext.Dense(1000, 1000, Lif(0.9, LifReset.SubtractNextStep), InputStatistics.FromMembrane(1.0)) with { Steps = 20 };
        Prediction p = init.Theory(context);
        Assert.Equal(PredictionRegime.Stationary, p.Regime);
        Assert.Equal(20, p.TimeCourse!.Steps);
        Assert.Equal(p.TimeCourse.Stationary.FiringProbability, p.FiringProbability);
        Assert.Equal(p.TimeCourse.Stationary.FiringProbability, p.Output.StationaryRate);
        // other methods predict a time course when the context asks for one, and none otherwise
        Assert.Equal(20, Initializers.Create("micheli").Theory(context).TimeCourse!.Steps);
        Assert.Null(Initializers.Create("micheli").Theory(context with { Steps = 0 }).TimeCourse);
        // current-based neurons are refused with the method's name
        var cuba = InitContext.Dense(100, 100, new CubaLifNeuron(), InputStatistics.Poisson(10, 1e-3));
        Assert.Contains("stationary", Assert.ThrowsAny<ArgumentException>(() => init.Plan(cuba)).Message);
        // a rate that zero-mean weights cannot reach is a clear error
        var tooFast = context with { Input = InputStatistics.Spikes(0.7) };
        Assert.Contains("at most half", Assert.Throws<InfeasibleInitializationException>(() => init.Plan(tooFast)).Message);
    }

    [Fact]
    public void Root_search_recovers_the_current_of_a_known_rate_and_recurrent_and_conv_layers_split_as_documented()
    {
        var neuron = new MeanFieldNeuron(1, 0.9, 1, MembraneReset.SubtractBeforeDecay);
        double rate = MeanField.Layer(neuron, 0, 0.7, 1, MeanField.SearchHorizon, MeanField.SearchNodes).Stationary.FiringProbability;
        Root root = MeanField.CurrentStdForRate(neuron, 0, rate);
        Assert.True(root.Found);
        Assert.InRange(root.Value, 0.7 * 0.98, 0.7 * 1.02);
        Assert.Equal(RootStatus.TargetTooLarge, MeanField.CurrentStdForRate(neuron, 0, 0.6).Status);
        Assert.Equal(1 + 3 * 0.5 / 1.5, MeanField.StaticEquivalentVariance(1, 3, 0.5), 12);
        // recurrent: feed-forward share α of σ_I*² = E[x²] (real-valued input), the rest through the layer's own spikes (§L6.3)
        LifNeuron lif = Lif(0.5, LifReset.SubtractNextStep);
        var rec = InitContext.Recurrent(200, 100, lif, InputStatistics.Gaussian(0, 2));
        Prediction p = new Stationary(0.8).Theory(rec);
        Assert.Equal(0.8 * 2 / (200 * 2), p.WeightStd * p.WeightStd, 12);
        MeanFieldStationary own = p.TimeCourse!.Stationary;
        double ownPerWeight = 99 * MeanField.StaticEquivalentVariance(own.RateSecondMoment, own.FiringProbability - own.RateSecondMoment, 0.5);
        Assert.Equal(0.2 * 2 / ownPerWeight, p.RecurrentWeightStd!.Value * p.RecurrentWeightStd.Value, 3);
        // conv: fan-in C_in·k²
        Prediction conv = new Stationary().Theory(InitContext.Convolution(16, 32, 3, lif, InputStatistics.Gaussian()));
        Assert.Equal(1.0 / 144, conv.WeightStd * conv.WeightStd, 12);
    }

    [Theory]
    [InlineData(LifReset.SubtractNextStep)]
    [InlineData(LifReset.SubtractBeforeDecay)]
    public void Stationary_rate_of_one_layer_matches_a_simulation(LifReset reset)
    {
        // N(0, 1) constant into 1000 encoder LIF (β = 0.5), then 1000 → 1000 with stationary weights; 400 steps, 8 samples,
        // stationary window [200, 400): 1000 × 8 × 200 = 1.6·10⁶ neuron-steps.
        LifNeuron neuron = Lif(0.5, reset);
        SpikingNetwork net = SpikingNetwork.Create(Architectures.DeepDense(1000, 1000, 1, neuron));
        using var g = new Generator(17);
        IReadOnlyList<LayerInitialization> init = NetworkInitializer.Initialize(net, new Stationary(), InputStatistics.Gaussian(), g);
        Prediction theory = init[1].Theory!;
        using var _ = no_grad();
        NetworkRun run = net.Run(randn([8, 1000], generator: g), 400, Recording.All);
        Tensor late = run.Layers[1].Spikes![200..];
        double rate = late.to(ScalarType.Float64).mean().item<double>();
        double predicted = theory.TimeCourse!.Stationary.FiringProbability;
        double variance = run.Layers[1].Membrane![200..].to(ScalarType.Float64).var(false).item<double>();
        double predictedVariance = theory.TimeCourse.Stationary.MembraneVariance;
        output.WriteLine($"{reset}: rate {rate:G4} vs {predicted:G4}; Var[u] {variance:G4} vs {predictedVariance:G4}");
        // The density model (§L6.2) treats the per-step fluctuation as Gaussian and independent over time; measured 0.2 %
        // (minus) and 2 % (subtract-before-decay) on the rate, 5 % and 2 % on Var[u]; sampling error of the rate over
        // 8 samples of one weight draw ~2 %. Tolerance 6 % on the rate, 8 % on Var[u].
        T.Relative(predicted, rate, 0.06, "stationary rate");
        T.Relative(predictedVariance, variance, 0.08, "stationary membrane variance");
    }

    [Fact]
    public void Density_prediction_holds_for_a_deep_layer_fed_by_irregular_spikes()
    {
        // β = 0.5, minus reset: 12 layers × 1000, constant N(0, 1) input, 400 steps, 4 samples. By layer 11 the spike trains
        // are irregular (the rate second moment q has fallen from layer 1's), where the static equivalent (§L6.2) chose too
        // small a scale. The density model (§L6.2) fed with layer 11's measured p and q and layer 12's weights must predict
        // layer 12. Window [200, 400): 1000 × 4 × 200 = 8·10⁵ neuron-steps.
        const int depth = 12;
        var neuron = Lif(0.5, LifReset.SubtractNextStep);
        SpikingNetwork net = SpikingNetwork.Create(Architectures.DeepDense(1000, 1000, depth, neuron));
        using var g = new Generator(29);
        NetworkInitializer.Initialize(net, new Stationary(), InputStatistics.Gaussian(), g);
        using var _ = no_grad();
        NetworkRun run = net.Run(randn([4, 1000], generator: g), 400, Recording.All);
        (double p, double q) Rates(int layer)
        {
            Tensor spikes = run.Layers[layer].Spikes![200..].to(ScalarType.Float64);
            // q: the mean over samples and neurons of the squared per-neuron rate
            return (spikes.mean().item<double>(), spikes.mean([0L]).square().mean().item<double>());
        }
        (double p1, double q1) = Rates(1);
        (double pIn, double qIn) = Rates(depth - 1);
        (double pOut, double qOut) = Rates(depth);
        Assert.True(qIn < 0.8 * q1, $"layer {depth - 1}'s spike trains should be more irregular than layer 1's (q {qIn:G4} vs {q1:G4})");
        double scale = 1000 * ((DenseBlock)net.Blocks[depth]).Weight.to(ScalarType.Float64).var(false).item<double>();
        MeanFieldStationary predicted = RecurrentMeanField.Layer(TimeCourse.Of(neuron), new RecurrentDrive(0, scale * qIn, scale * (pIn - qIn), 0, 0, 0), 1).Stationary;
        double variance = run.Layers[depth].Membrane![200..].to(ScalarType.Float64).var(false).item<double>();
        output.WriteLine($"layer 1: p {p1:G4}, q {q1:G4}; input p {pIn:G4}, q {qIn:G4}; layer {depth}: rate {pOut:G4} vs {predicted.FiringProbability:G4}, " +
                         $"q {qOut:G4} vs {predicted.RateSecondMoment:G4}, Var[u] {variance:G4} vs {predicted.MembraneVariance:G4}");
        T.Relative(predicted.FiringProbability, pOut, 0.06, "stationary rate");
        T.Relative(predicted.MembraneVariance, variance, 0.06, "stationary membrane variance");
        T.Relative(predicted.RateSecondMoment, qOut, 0.12, "rate second moment");
    }

    [Theory]
    [InlineData(0.5, LifReset.SubtractNextStep)]
    [InlineData(0.5, LifReset.SubtractBeforeDecay)]
    [InlineData(0.9, LifReset.SubtractNextStep)]
    [InlineData(0.9, LifReset.SubtractBeforeDecay)]
    public void Rate_through_depth_stays_within_a_factor_of_layer_one(double beta, LifReset reset)
    {
        // CI-sized Micheli Fig. 4: 20 layers × 300 LIF, θ = 1, T = 20, constant N(0, 1) input, 4 samples; rates over the last
        // five steps (300 × 4 × 5 = 6 000 neuron-steps per layer, sampling error ~3 % at p ≈ 0.2)
        SpikingNetwork net = SpikingNetwork.Create(Architectures.DeepDense(300, 300, 20, Lif(beta, reset)));
        using var g = new Generator(23);
        NetworkInitializer.Initialize(net, new Stationary(), InputStatistics.Gaussian(), g);
        using var _ = no_grad();
        NetworkRun run = net.Run(randn([4, 300], generator: g), 20, Recording.Spikes);
        double Rate(int layer) => run.Layers[layer].Spikes![15..].to(ScalarType.Float64).mean().item<double>();
        double first = Rate(1), last = Rate(20);
        output.WriteLine($"beta {beta} {reset}: layer 1 {first:G4}, layer 20 {last:G4}");
        Assert.True(first > 0.02, $"layer 1 is nearly silent ({first})");
        Assert.InRange(last / first, 1 / 1.5, 1.5);
    }

    [Fact]
    public void Init_json_prints_the_stationary_block()
    {
        var (code, text, err) = CliTests.Run("init", "--method", "stationary", "--json", "--beta", "0.9", "--steps", "5");
        Assert.True(code == 0, err);
        JsonNode json = JsonNode.Parse(text.Trim().Split('\n')[0])!;
        Assert.Equal("stationary", (string?)json["method"]);
        JsonNode stationary = json["theory"]!["stationary"]!;
        double rate = (double)stationary["rate"]!;
        Assert.InRange(rate, 0.01, 0.5);
        Assert.True((double)stationary["membrane_std"]! > 0);
        Assert.NotNull(stationary["membrane_mean"]);
        Assert.Equal(5, json["theory"]!["over_time"]!["firing_probability"]!.AsArray().Count);
    }
}
