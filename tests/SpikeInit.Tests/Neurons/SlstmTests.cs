using SpikeInit.Initialization;
using SpikeInit.Layers;

namespace SpikeInit.Tests;

/// <summary>
/// The spiking LSTM cell (docs/THEORY.md §S11): hand-computed trajectories of the kernel and of a one-cell layer, the
/// per-gate Glorot initialization and the refusal of other methods, the layer's size and model.json, hostile model files,
/// and the probe. Run/Step parity, finite-difference gradients and save/load are the "slstm" case of <see cref="NetworkTests.Specs"/>.
/// </summary>
public sealed class SlstmTests() : TempFolderTest("spikeinit-slstm-")
{
    [Fact]
    public void The_kernel_follows_the_hand_computed_trajectory()
    {
        // gate pre-activations (input, forget, candidate, output) per step; H(0) = 0 (strict condition)
        double[][] gates = [[1, -1, 0.5, 1], [-1, 1, -1, 1], [1, 1, -1, -1], [1, 1, -2, 2], [0, 0, 1, 1]];
        // t0: i=1 f=0 z=+1 o=1 -> c=1, h=+1;  t1: i=0 f=1 -> c=1, h=+1;  t2: i=f=1 z=-1 o=0 -> c=0, h=0;
        // t3: z=-1 o=1 -> c=-1, h=-1;  t4: i=f=0 -> c=0, o=1 and H(0)=0 -> h=-1
        double[] c = [1, 1, 0, -1, 0], h = [1, 1, 0, -1, -1];
        using var scope = NewDisposeScope();
        var cell = new SlstmNeuron();
        NeuronState state = cell.InitialState([1, 4], ScalarType.Float64, CPU);
        Assert.Equal([1L, 1L], state.Membrane.shape);
        for (int t = 0; t < gates.Length; t++)
        {
            (Tensor output, state) = cell.Step(T.Rows([gates[t]]), state);
            Assert.Equal(h[t], output.item<double>());
            Assert.Equal(c[t], state.Membrane.item<double>());
            Assert.Equal(h[t], state.Spikes.item<double>());
        }
    }

    [Fact]
    public void A_one_cell_layer_follows_the_hand_computed_trajectory_with_its_recurrence()
    {
        // W = (1, 1, 1, 1), U = (0, 2, −3, 1), b = (−0.5, −0.5, 0, 0.5); a_t = W x_t + b + U h_{t−1}
        // x = 1: a = (0.5, 0.5, 1, 1.5)    -> i f z o = 1 1 +1 1, c = 1, h = +1
        // x = 0: a = (−0.5, 1.5, −3, 1.5)  -> i f z o = 0 1 −1 1, c = 1, h = +1
        // x = 1: a = (0.5, 2.5, −2, 2.5)   -> i f z o = 1 1 −1 1, c = 0, h = 2H(0) − 1 = −1
        // x = 0: a = (−0.5, −2.5, 3, −0.5) -> i f z o = 0 0 +1 0, c = 0, h = 0
        using var scope = NewDisposeScope();
        using var block = new SlstmBlock("s", 1, 1, new SlstmNeuron(), true, ScalarType.Float64, null);
        using (no_grad())
        {
            block.Weight.copy_(T.Rows([[1], [1], [1], [1]]));
            block.RecurrentWeight.copy_(T.Rows([[0], [2], [-3], [1]]));
            block.Bias!.copy_(T.Vec(-0.5, -0.5, 0, 0.5));
        }
        Tensor x = T.Vec(1, 0, 1, 0).view(4, 1, 1);
        BlockRun run = block.Run(x, recordMembrane: true);
        T.Close([1, 1, -1, 0], T.Array(run.Output), 0, "h");
        T.Close([1, 1, 0, 0], T.Array(run.Membrane!), 0, "c");
    }

    /// <summary>s·sin(a·r + b·k + c) for r &lt; rows, k &lt; cols: deterministic weights shared with the PyTorch reference.</summary>
    private static Tensor Grid(int rows, int cols, double a, double b, double c, double s) =>
        tensor(Enumerable.Range(0, rows * cols).Select(i => s * Math.Sin(a * (i / cols) + b * (i % cols) + c)).ToArray(), ScalarType.Float64).view(rows, cols);

    [Fact]
    public void Loss_and_gradients_of_two_layers_match_an_independent_PyTorch_reference()
    {
        // An independent PyTorch 1.13 implementation of the authors' spikingLSTM (Heaviside forward, fast-sigmoid backward
        // 1/(1 + 2|x|)², docs/THEORY.md §S11), float64, weights and input from Grid, loss Σ h2 ⊙ r; values printed by it.
        const int Steps = 12, B = 2, In = 5, N1 = 3, N2 = 2;
        using var scope = NewDisposeScope();
        Tensor x = Grid(Steps * B, In, 1.7, 2.3, 0.4, 1).gt(0.3).to(ScalarType.Float64).view(Steps, B, In);
        Tensor r = Grid(Steps * B, N2, 0.9, 1.9, 0.2, 1).view(Steps, B, N2);
        SlstmBlock Layer(int inputs, int units, double seed)
        {
            var block = new SlstmBlock("s", inputs, units, new SlstmNeuron(), true, ScalarType.Float64, null);
            using (no_grad())
            {
                block.Weight.copy_(Grid(4 * units, inputs, 0.37 + seed, 1.13, 0.5, 0.8));
                block.RecurrentWeight.copy_(Grid(4 * units, units, 0.71, 0.53 + seed, 0.3, 0.6));
                block.Bias!.copy_(Grid(1, 4 * units, 0, 0.97, seed, 0.3).view(-1));
            }
            return block;
        }
        using SlstmBlock first = Layer(In, N1, 0), second = Layer(N1, N2, 1);
        Tensor h1 = first.Run(x, false).Output, h2 = second.Run(h1, false).Output;
        Tensor loss = h2.mul(r).sum();
        loss.backward();
        Assert.Equal(23.0, h1.abs().sum().item<double>());
        Assert.Equal(48.0, h2.abs().sum().item<double>());
        T.Relative(-2.2968614005503007, loss.item<double>(), 1e-12, "loss");
        (string Name, Tensor Grad, double Sum, double SumOfSquares)[] reference =
        [
            ("W1", first.Weight.grad!, 0.528747815739798, 3.109195243738819),
            ("U1", first.RecurrentWeight.grad!, -0.804600044111236, 0.21451133204864012),
            ("b1", first.Bias!.grad!, 0.38292755242613596, 0.7321942380771013),
            ("W2", second.Weight.grad!, 1.1328750999161457, 1.3579865841462317),
            ("U2", second.RecurrentWeight.grad!, -2.841735309089021, 9.512445281953068),
            ("b2", second.Bias!.grad!, 0.7315489806373101, 5.551758273258939),
        ];
        foreach (var (name, grad, sum, squares) in reference)
        {
            T.Relative(sum, grad.sum().item<double>(), 1e-10, $"{name}: sum of the gradient");
            T.Relative(squares, grad.square().sum().item<double>(), 1e-10, $"{name}: sum of squared gradient entries");
        }
    }

    [Fact]
    public void Glorot_uniform_draws_each_gate_with_its_own_fans_and_zero_bias_and_other_methods_are_refused()
    {
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(200).Slstm(50, new SlstmNeuron()).Build(), new Generator(1));
        NetworkInitializer.Initialize(net, new Glorot(Uniform: true), InputStatistics.Spikes(0.1), new Generator(2));
        var block = (SlstmBlock)net.Blocks[0];
        for (int g = 0; g < 4; g++)
        {
            // U(±√(6/(fan_in + fan_out))): std √(2/(fan_in + fan_out)); 10,000 (input) and 2,500 (recurrent) draws per gate
            Tensor w = block.Weight.narrow(0, g * 50, 50), u = block.RecurrentWeight.narrow(0, g * 50, 50);
            Assert.True(w.abs().max().item<float>() <= Math.Sqrt(6.0 / 250), $"gate {g} input bound");
            Assert.True(u.abs().max().item<float>() <= Math.Sqrt(6.0 / 100), $"gate {g} recurrent bound");
            T.Relative(Math.Sqrt(2.0 / 250), w.std().item<float>(), 0.03, $"gate {g} input std");
            T.Relative(Math.Sqrt(2.0 / 100), u.std().item<float>(), 0.06, $"gate {g} recurrent std");
        }
        Assert.Equal(0.0, block.Bias!.abs().sum().item<float>());
        var e = Assert.Throws<ArgumentException>(() => NetworkInitializer.Initialize(net, new StabilityBased(), InputStatistics.Spikes(0.1)));
        Assert.Contains("glorot-uniform", e.Message, StringComparison.Ordinal);
        Assert.Contains("not by stability", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hc_slstm_network_has_the_complexity_study_size_and_model_json_names_the_cell()
    {
        // 4·85·(784 + 85 + 1) + 4·85·(85 + 85 + 1) + 10·(85 + 1) = 354,800 ≈ the paper's 350k
        NetworkSpec spec = NetworkSpec.Builder(784).Slstm(85, new SlstmNeuron()).Slstm(85, new SlstmNeuron())
                                      .DenseReadout(10, new LifNeuron(new LifParameters(0.9, 1.0, LifReset.None))).Build();
        using var net = SpikingNetwork.Create(spec);
        Assert.Equal(354_800L, net.parameters().Sum(p => p.numel()));
        Assert.Equal(354_800.0, NetworkSize.Elements(spec).Parameters);
        string json = ModelStore.ToJson(spec);
        Assert.Contains("\"type\": \"slstm\"", json);
        Assert.Contains("\"model\": \"slstm\"", json);
        Assert.Equal(json, ModelStore.ToJson(ModelStore.SpecFromJson(json)));
    }

    public static TheoryData<string, string, string> HostileModels() => new()
    {
        { "zero units", "\"units\": 3", "units = 0" },
        { "a LIF neuron in an slstm layer", "\"model\": \"slstm\"", "slstm layer takes slstm cells" },
        { "an unknown cell model", "\"model\": \"slstm\"", "slstm2" },
    };

    [Theory]
    [MemberData(nameof(HostileModels))]
    public void Hostile_model_files_are_refused_with_one_clear_error(string what, string original, string expected)
    {
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(2).Slstm(3, new SlstmNeuron()).Build(), new Generator(1));
        ModelStore.Save(net, dir);
        string path = Path.Combine(dir, "model.json");
        string json = File.ReadAllText(path);
        Assert.Contains(original, json, StringComparison.Ordinal);
        string replacement = what switch
        {
            "zero units" => "\"units\": 0",
            "a LIF neuron in an slstm layer" => "\"model\": \"lif\"",
            _ => "\"model\": \"slstm2\"",
        };
        File.WriteAllText(path, json.Replace(original, replacement, StringComparison.Ordinal));
        var e = Assert.ThrowsAny<Exception>(() => ModelStore.Load(dir));
        Assert.True(e is InvalidDataException or ArgumentException, $"{what}: {e.GetType().Name}: {e.Message}");
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_runs_slstm_layers_with_glorot_and_refuses_stability()
    {
        string out_ = Path.Combine(dir, "probe");
        var (code, output, err) = CliTests.Run("probe", "--neuron", "slstm", "--method", "glorot-uniform",
                                               "--width", "8", "--depth", "2", "--steps", "4", "--repeats", "1", "--out", out_);
        Assert.True(code == 0, err);
        Assert.Contains("glorot-uniform", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(out_, "probe.csv")));
        (code, _, err) = CliTests.Run("probe", "--neuron", "slstm", "--method", "stability", "--width", "8", "--depth", "2", "--steps", "4",
                                      "--repeats", "1", "--out", Path.Combine(dir, "probe2"));
        Assert.Equal(2, code);
        Assert.Contains("an slstm layer is initialized by glorot-uniform or glorot", err, StringComparison.Ordinal);
    }
}
