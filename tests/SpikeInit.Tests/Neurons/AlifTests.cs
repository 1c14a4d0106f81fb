namespace SpikeInit.Tests;

/// <summary>
/// The ALIF neuron (docs/THEORY.md §S10): hand-computed trajectories, the LIF limit β_a = 0, the reset's stop-gradient,
/// the registry and model.json. Run/Step parity, finite-difference gradients and save/load of whole networks with ALIF
/// and with learned per-neuron leak and threshold are the "alif" and "learned" cases of <see cref="NetworkTests.Specs"/>.
/// </summary>
public class AlifTests
{
    private static readonly double[] A = [0.6, 0.9, 0.3, 1.2, 0.0, 0.5, 0.75, 0.2];

    // α = 0.5, ϑ = 1, β_a = 1, ρ = 1/2 (τ_a = 1/ln 2): a_t = (a_{t−1} + x_{t−1})/2, ϑ_t = 1 + a_t
    public static TheoryData<LifReset, double[], double[]> Cases() => new()
    {
        // minus: v_t = v_{t−1}/2 + I_t − ϑ_t x_{t−1}; at t = 3 the raised threshold 1.25 stops the spike LIF fires
        { LifReset.SubtractNextStep, [0.6, 1.2, -0.6, 0.9, 0.45, 0.725, 1.1125, -0.759375], [0, 1, 0, 0, 0, 0, 1, 0] },
        // pre: v_t = v_{t−1}(1 − x_{t−1})/2 + I_t; at t = 6 v = 1.0 stays below ϑ_6 = 1.15625
        { LifReset.ZeroBeforeDecay, [0.6, 1.2, 0.3, 1.35, 0.0, 0.5, 1.0, 0.7], [0, 1, 0, 1, 0, 0, 0, 0] },
    };

    private static AlifNeuron Halving(LifReset reset, SpikeOptions? spike = null) =>
        new(new AlifParameters(0.5, 1.0, 1.0, 1 / Math.Log(2), reset, spike));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Alif_follows_the_hand_computed_trajectory(LifReset reset, double[] u, double[] s)
    {
        (double[] actualU, double[] actualS) = LifGoldenTests.Run(Halving(reset), A);
        T.Close(u, actualU, 1e-12, "u");
        T.Close(s, actualS, 0, "s");
    }

    [Fact]
    public void The_trace_follows_its_hand_computed_course()
    {
        using var scope = NewDisposeScope();
        AlifNeuron neuron = Halving(LifReset.SubtractNextStep);
        NeuronState state = neuron.InitialState([1], ScalarType.Float64, CPU);
        var trace = new List<double>();
        foreach (double x in A)
        {
            (_, state) = neuron.Step(T.Vec(x), state);
            trace.Add(((AlifState)state).A.item<double>());
        }
        T.Close([0, 0, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.515625], [.. trace], 1e-12, "a");
    }

    [Theory]
    [InlineData(LifReset.SubtractNextStep)]
    [InlineData(LifReset.SubtractBeforeDecay)]
    [InlineData(LifReset.ZeroBeforeDecay)]
    [InlineData(LifReset.ZeroAfterInput)]
    [InlineData(LifReset.None)]
    public void Without_adaptation_it_is_the_LIF_neuron(LifReset reset)
    {
        double[] input = [0.5, 0.75, 0.5, 0.75, 1.5, -0.5, 1.0, 0.25, 2.0, 0.1];
        var lif = LifGoldenTests.Run(new LifNeuron(new LifParameters(0.7, 1.0, reset)), input);
        var alif = LifGoldenTests.Run(new AlifNeuron(new AlifParameters(0.7, 1.0, 0.0, 4, reset)), input);
        T.Close(lif.U, alif.U, 1e-12, "u");
        T.Close(lif.S, alif.S, 0, "s");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Detaching_the_reset_stops_the_gradient_of_the_whole_reset_term(bool detach)
    {
        // minus-reset, α = 0.5, ϑ = 1, β_a = 1, ρ = 1/2, smooth forward (x = sigmoid-like primitive h of the surrogate):
        // v1 = v0/2 + I1 − ϑ_1·x0 with ϑ_1 = 1 + x0/2, x0 = h(v0 − 1), v0 = I0. dv1/dI0 = 1/2 − (1 + x0)·h'(v0 − 1) when the
        // reset is in the graph, 1/2 when it is detached (the threshold inside the reset term included).
        var spike = new SpikeOptions(DetachReset: detach, SmoothForward: true);
        AlifNeuron neuron = Halving(LifReset.SubtractNextStep, spike);
        Tensor i0 = T.Vec(1.0).requires_grad_(true);
        NeuronState state = neuron.InitialState([1], ScalarType.Float64, CPU);
        (Tensor x0, state) = neuron.Step(i0, state);
        (_, state) = neuron.Step(T.Vec(0.3), state);
        state.Membrane.sum().backward();
        double h = x0.item<double>();
        double slope = neuron.Surrogate.Derivative(0.0);
        Assert.Equal(detach ? 0.5 : 0.5 - (1 + h) * slope, i0.grad!.item<double>(), 12);
    }

    [Fact]
    public void Registry_builds_it_from_options_and_model_json_round_trips()
    {
        Neuron built = NeuronModels.Get("alif").Build(new Settings(new Dictionary<string, string?>
        {
            ["beta"] = "0.9", ["adaptation"] = "1.8", ["tau-adaptation"] = "50", ["reset"] = "pre",
        }));
        var alif = Assert.IsType<AlifNeuron>(built);
        Assert.Equal(new AlifParameters(0.9, 1.0, 1.8, 50, LifReset.ZeroBeforeDecay), alif.Parameters);
        alif = (AlifNeuron)alif.WithLearnedLeakAndThreshold();   // model.json records learned parameters (train --learn-neuron)
        Assert.Equal(Math.Exp(-1 / 50.0), alif.Dynamics.Adaptation!.Decay, 15);
        string json = ModelStore.ToJson(NetworkSpec.Builder(3).Recurrent(4, alif).Build());
        Assert.Contains("\"model\": \"alif\"", json);
        Assert.Contains("\"tau_adaptation\": 50", json);
        Assert.Equal(alif, ((RecurrentLayer)ModelStore.SpecFromJson(json).Layers[0]).Neuron);
    }

    [Theory]
    [InlineData("adaptation", "-1")]
    [InlineData("tau-adaptation", "0")]
    [InlineData("beta", "1.5")]
    public void Bad_parameters_are_refused_with_their_name(string option, string value)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => NeuronModels.Get("alif").Build(new Settings(new Dictionary<string, string?> { [option] = value })));
        Assert.Contains(option.Replace('-', '_'), e.Message.Replace('-', '_'), StringComparison.Ordinal);
    }
}

/// <summary>The probe with ALIF neurons (default β_a, τ_a; --beta is the leak), from the command line.</summary>
public sealed class AlifProbeTests() : TempFolderTest("spikeinit-alif-probe-")
{
    [Fact]
    public void Probe_runs_alif_networks_and_reports_their_rates()
    {
        string out_ = Path.Combine(dir, "probe");
        var (code, output, err) = CliTests.Run("probe", "--neuron", "alif", "--beta", "0.9",
                                               "--method", "micheli", "--width", "16", "--depth", "2", "--steps", "6", "--repeats", "1", "--out", out_);
        Assert.True(code == 0, err);
        Assert.Contains("micheli theta=1 beta=0.9 n=16", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(out_, "probe.csv")));
    }
}
