using PureHDF;
using SpikeInit.Interop;

namespace SpikeInit.Tests;

/// <summary>
/// NIR export and import: round trips with identical outputs, the reference writer's layout (neuromorphs/NIR
/// nir/serialization.py: strings as scalar variable-length string datasets, arrays as typed datasets, edges as an (E, 2)
/// string dataset), time constants from the discrete decays at dt, and refusals of what NIR cannot represent.
/// </summary>
public sealed class NirTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("spikeinit-nir-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string File(string name = "model.nir") => Path.Combine(dir, name);

    /// <summary>Exports, imports, and requires bit-identical outputs (float32) on a batch of random spike trains.</summary>
    private SpikingNetwork RoundTrip(NetworkSpec spec, double dt, int steps = 12, float weightScale = 1)
    {
        using var net = SpikingNetwork.Create(spec, new Generator(3));
        using (no_grad())
            foreach (var p in net.parameters()) p.mul_(weightScale);
        Nir.Export(net, dt, File());
        SpikingNetwork back = Nir.Import(File());
        Tensor x = rand([steps, 3, .. spec.InputShape], generator: new Generator(5)).lt(0.3).to_type(ScalarType.Float32);
        using var _ = no_grad();
        Tensor a = net.Run(x).Output, b = back.Run(x).Output;
        Assert.Equal(a.shape, b.shape);
        Assert.True(a.equal(b).all().item<bool>(), $"outputs differ by up to {(a - b).abs().max().item<float>()}");
        Assert.True(a.abs().sum().item<float>() > 0, "the test batch must produce output");
        Assert.Equal(spec.Readout, back.Spec.Readout);
        return back;
    }

    /// <summary>A dataset's type class, element size and dimensions.</summary>
    private static (H5DataTypeClass Class, int Size, ulong[] Dims) Set(string path, string name)
    {
        using var f = H5File.OpenRead(path);
        IH5Dataset d = f.Dataset(name);
        return (d.Type.Class, (int)d.Type.Size, d.Space.Dimensions);
    }

    private static string Describe(string path, string name) =>
        Set(path, name) is var (c, size, dims) ? $"{c} {size} [{string.Join(", ", dims)}]" : "";

    private static string Text(string path, string name)
    {
        using var f = H5File.OpenRead(path);
        return f.Dataset(name).Read<string[]>()[0];
    }

    private static T[] Read<T>(string path, string name) where T : unmanaged
    {
        using var f = H5File.OpenRead(path);
        return f.Dataset(name).Read<T[]>();
    }

    [Fact]
    public void Default_current_based_network_round_trips_as_CubaLIF_and_CubaLI_with_its_own_time_constants()
    {
        NetworkSpec spec = Architectures.CurrentBased(20, [16], 5);
        using SpikingNetwork back = RoundTrip(spec, 2e-3, steps: 40);
        string f = File();
        using var h5 = H5File.OpenRead(f);
        Assert.Equal("CubaLIF", h5.Dataset("node/nodes/layers.0.neuron/type").Read<string[]>()[0]);
        Assert.Equal("CubaLI", h5.Dataset("node/nodes/layers.1.neuron/type").Read<string[]>()[0]);
        Assert.Equal("Linear", h5.Dataset("node/nodes/layers.0/type").Read<string[]>()[0]);
        Assert.All(h5.Dataset("node/nodes/layers.0.neuron/tau_mem").Read<double[]>(), t => Assert.Equal(20e-3, t));
        Assert.All(h5.Dataset("node/nodes/layers.0.neuron/tau_syn").Read<double[]>(), t => Assert.Equal(10e-3, t));
        Assert.All(h5.Dataset("node/nodes/layers.0.neuron/v_threshold").Read<double[]>(), t => Assert.Equal(1.0, t));
        Assert.All(h5.Dataset("node/nodes/layers.1.neuron/tau_mem").Read<double[]>(), t => Assert.Equal(0.2, t));
        Assert.All(h5.Dataset("node/nodes/layers.0.neuron/w_in").Read<double[]>(), w => Assert.Equal(1 / (1 - Math.Exp(-0.2)), w, 1e-12));
        Assert.Equal(ModelStore.ToJson(spec), ModelStore.ToJson(back.Spec));
    }

    [Fact]
    public void Hard_reset_LIF_MLP_round_trips_with_tau_from_the_decay_at_dt()
    {
        var lif = new LifNeuron(new LifParameters(0.9, 0.8, LifReset.ZeroBeforeDecay, gain: 1.5));
        NetworkSpec spec = NetworkSpec.Builder(12).Encoder(lif).Dense(16, lif).Dense(16, lif, bias: false)
            .DenseReadout(4, lif with { Parameters = lif.Parameters with { Reset = LifReset.None } }).WithReadout(Readout.MaxOverTime).Build();
        using SpikingNetwork back = RoundTrip(spec, 1e-3);
        double tau = -1e-3 / Math.Log(0.9);                      // τ = −dt / ln β
        Assert.All(Read<double>(File(), "node/nodes/layers.1.neuron/tau"), t => Assert.Equal(tau, t, 1e-15));
        Assert.All(Read<double>(File(), "node/nodes/layers.1.neuron/r"), r => Assert.Equal(1.5 / (1 - 0.9), r, 1e-12));   // R = g / (1 − β)
        Assert.All(Read<double>(File(), "node/nodes/layers.1.neuron/v_threshold"), t => Assert.Equal(0.8, t));
        Assert.Equal("LI", Text(File(), "node/nodes/layers.3.neuron/type"));
        var imported = (LifNeuron)((DenseLayer)back.Spec.Layers[1]).Neuron;
        Assert.Equal(0.9, imported.Parameters.Beta, 1e-15);
        Assert.Equal(1.5, imported.Parameters.Gain, 1e-14);
        Assert.Equal(LifReset.ZeroBeforeDecay, imported.Parameters.Reset);
    }

    [Fact]
    public void Ding_conv_net_round_trips_with_its_max_pooling_of_spikes_as_SumPool2d_and_IF()
    {
        // max over a window of binary spikes = H(window sum − 0.5): SumPool2d, then IF (r = 1/dt, v_threshold 0.5, v_reset 0)
        using SpikingNetwork back = RoundTrip(Architectures.DingConvMnist(), 1e-3, steps: 20, weightScale: 10);
        Assert.Equal(["Input", "Conv2d", "LIF", "SumPool2d", "IF", "Conv2d", "LIF", "SumPool2d", "IF", "Flatten", "Affine", "LIF", "Affine", "LIF", "Affine", "LIF", "Output"],
                     Chain(File()).Select(p => p.Type));
        Assert.All(Read<double>(File(), "node/nodes/layers.1.max/v_threshold"), t => Assert.Equal(0.5, t));
        Assert.All(Read<double>(File(), "node/nodes/layers.1.max/r"), r => Assert.Equal(1e3, r, 1e-9));
        Assert.Equal(Architectures.DingConvMnist().Layers.Select(l => l is PoolLayer p ? $"pool {p.Kind} {p.Kernel}" : l.GetType().Name),
                     back.Spec.Layers.Select(l => l is PoolLayer p ? $"pool {p.Kind} {p.Kernel}" : l.GetType().Name));   // k/λ comes back as its LIF form
    }

    [Fact]
    public void Max_pooling_of_a_membrane_is_refused_and_a_SumPool2d_must_be_the_max_of_spikes()
    {
        var lif = new LifNeuron(new LifParameters(0.9, 1, LifReset.ZeroBeforeDecay));
        var spec = new NetworkSpec([1, 4, 4], [new PoolLayer(SpikeInit.Layers.PoolKind.Max, 2), new FlattenLayer(), new DenseLayer(3, lif)]);   // pools the input's values
        using (var net = SpikingNetwork.Create(spec, new Generator(1)))
        {
            var e = Assert.Throws<ArgumentException>(() => Nir.Export(net, 1e-3, File("values.nir")));
            Assert.Contains("layer 0 (PoolLayer): max pooling of values other than spikes has no NIR node", e.Message);
        }
        using (var ding = SpikingNetwork.Create(Architectures.DingConvMnist(), new Generator(1)))
            Nir.Export(ding, 1e-3, File("ding.nir"));
        var bad = Assert.Throws<InvalidDataException>(() => Nir.Import(File("ding.nir"), dt: 2e-3));   // r = 1/dt no longer holds
        Assert.Contains("SpikeInit reads a SumPool2d only as max pooling of spikes", bad.Message);
    }

    [Fact]
    public void K_lambda_neurons_with_bias_round_trip_with_average_pooling()
    {
        var n = new KLambdaNeuron(new KLambdaParameters(0.8, 1.0));
        NetworkSpec spec = NetworkSpec.Builder(1, 8, 8).Conv(4, 3, n, padding: 1).AvgPool(2).Conv(4, 3, n, stride: 2, padding: 1)
            .Flatten().Dense(10, n).Build();
        using SpikingNetwork back = RoundTrip(spec, 1e-3, steps: 16, weightScale: 4);
        Assert.Equal(["Input", "Conv2d", "LIF", "AvgPool2d", "Conv2d", "LIF", "Flatten", "Affine", "LIF", "Output"],
                     Chain(File()).Select(p => p.Type));
        Assert.All(Read<double>(File(), "node/nodes/layers.0.neuron/r"), r => Assert.Equal(1.0 / (1 - 0.8), r, 1e-12));   // λ / (1 − k)
        Assert.Equal([4UL, 8, 8], Set(File(), "node/nodes/layers.0.neuron/tau").Dims);       // one value per neuron
    }

    private static List<(string Name, string Type)> Chain(string path)
    {
        using var h5 = H5File.OpenRead(path);
        string[] e = h5.Dataset("node/edges").Read<string[]>();
        var next = Enumerable.Range(0, e.Length / 2).ToDictionary(i => e[2 * i], i => e[2 * i + 1]);
        var list = new List<(string Name, string Type)>();
        for (string? at = "input"; at is not null; at = next.GetValueOrDefault(at))
            list.Add((at, h5.Dataset($"node/nodes/{at}/type").Read<string[]>()[0]));
        return list;
    }

    [Fact]
    public void Layout_matches_the_reference_writer()
    {
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(6).Dense(5, new LifNeuron(new LifParameters(0.5, 1, LifReset.ZeroBeforeDecay))).Build());
        Nir.Export(net, 1e-3, File());
        string reference = Path.Combine(AppContext.BaseDirectory, "Fixtures", "lif_rockpool.nir");   // written by h5py (nir.write)
        foreach (string name in new[] { "version", "node/type", "node/nodes/input/type" })
        {
            var (ours, theirs) = (Set(File(), name), Set(reference, name));
            Assert.Equal(theirs.Class, ours.Class);                             // variable-length string
            Assert.Equal(theirs.Dims, ours.Dims);                               // scalar
        }
        Assert.Equal(Set(reference, "node/edges").Class, Set(File(), "node/edges").Class);
        Assert.Equal([3UL, 2UL], Set(File(), "node/edges").Dims);
        Assert.Equal(Nir.Version, Text(File(), "version"));
        Assert.Equal("FloatingPoint 4 [5, 6]", Describe(File(), "node/nodes/layers.0/weight"));       // float32 weights
        Assert.Equal("FloatingPoint 8 [5]", Describe(File(), "node/nodes/layers.0.neuron/tau"));      // float64 neuron parameters
        Assert.Equal("FixedPoint 8 [1]", Describe(File(), "node/nodes/input/shape"));                 // int64 shapes
        Assert.Equal(Set(reference, "node/nodes/input/shape").Class, Set(File(), "node/nodes/input/shape").Class);
        Assert.Equal(Set(reference, "node/nodes/0_LinearTorch/weight").Class, Set(File(), "node/nodes/layers.0/weight").Class);
        using var h5 = H5File.OpenRead(File());
        Assert.Equal(H5DataLayoutClass.Chunked, h5.Dataset("node/nodes/layers.0/weight").Layout.Class);      // arrays chunked for gzip, as h5py's compression="gzip"
        Assert.NotEqual(H5DataLayoutClass.Chunked, h5.Dataset("node/nodes/layers.0/type").Layout.Class);     // strings uncompressed, as h5py writes them
    }

    [Fact]
    public void A_file_written_by_the_reference_writer_imports_with_its_weights_and_time_constants()
    {
        string reference = Path.Combine(AppContext.BaseDirectory, "Fixtures", "lif_rockpool.nir");   // Input → Linear → LIF → Output
        NirGraph g = NirGraph.Read(reference);
        Assert.Equal("0.2.0", g.Version);
        Assert.Equal(["0_LinearTorch", "1_LIFNeuronTorch", "input", "output"], g.Nodes.Keys.Order());
        using SpikingNetwork net = Nir.Import(reference, 1e-3);
        var layer = Assert.IsType<DenseLayer>(Assert.Single(net.Spec.Layers));
        var lif = Assert.IsType<LifNeuron>(layer.Neuron).Parameters;
        NirNode node = g.Nodes["1_LIFNeuronTorch"];
        double beta = Math.Exp(-1e-3 / node.Uniform("tau"));
        Assert.Equal(beta, lif.Beta, 1e-15);                                    // β = exp(−dt/τ)
        Assert.Equal(node.Uniform("r") * (1 - beta), lif.Gain, 1e-15);          // g = R·(1 − β)
        Assert.Equal(node.Uniform("v_threshold"), lif.Theta);
        Assert.Equal(LifReset.ZeroBeforeDecay, lif.Reset);
        float[] fileWeights = [.. g.Nodes["0_LinearTorch"].Array("weight").Values.Select(v => (float)v)];
        Assert.Equal(fileWeights, ((SpikeInit.Layers.DenseBlock)net.Blocks[0]).Weight.data<float>().ToArray());
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "subtract", "reset subtract-next-step; NIR's LIF/IF reset the membrane to v_reset right after the spike" },
        { "refractory", "reset zero-after-input" },
        { "recurrent", "layer 0 (RecurrentLayer): has no NIR export" },
        { "cuba dt", "export with dt = 0.002, not 0.001" },
        { "greater-or-equal", "fires at u >= theta" },
        { "exc-inh", "has no NIR node" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void What_NIR_cannot_represent_is_refused_with_the_layer_and_the_reason(string what, string message)
    {
        LifNeuron Lif(LifReset r) => new(new LifParameters(0.9, 1, r));
        NetworkSpec spec = what switch
        {
            "subtract" => NetworkSpec.Builder(4).Dense(3, Lif(LifReset.SubtractNextStep)).Build(),
            "refractory" => NetworkSpec.Builder(4).Dense(3, Lif(LifReset.ZeroAfterInput)).Build(),
            "recurrent" => NetworkSpec.Builder(4).Recurrent(3, Lif(LifReset.ZeroBeforeDecay)).Build(),
            "cuba dt" => Architectures.CurrentBased(4, [3], 2),
            "greater-or-equal" => NetworkSpec.Builder(4).Dense(3, new LifNeuron(new LifParameters(0.9, 1, LifReset.ZeroBeforeDecay, new SpikeOptions(SpikeCondition.GreaterOrEqual)))).Build(),
            _ => NetworkSpec.Builder(4).Dense(3, new CubaExcInhNeuron()).Build(),
        };
        using var net = SpikingNetwork.Create(spec);
        var e = Assert.Throws<ArgumentException>(() => Nir.Export(net, 1e-3, File()));
        Assert.Contains(message, e.Message);
        Assert.False(System.IO.File.Exists(File()));
    }

    /// <summary>A valid two-node graph (Affine → LIF), edited by <paramref name="edit"/>, written with PureHDF.</summary>
    private string Hostile(Action<H5Group, H5Group> edit)
    {
        H5Group Node(string type) => new() { ["type"] = type };
        var input = Node("Input"); input["shape"] = new long[] { 3 };
        var affine = Node("Affine"); affine["weight"] = new float[,] { { 1, 0, 0 }, { 0, 1, 0 } }; affine["bias"] = new float[] { 0, 0.5f };
        var lif = Node("LIF");
        foreach (var (k, v) in new[] { ("tau", 0.01), ("r", 1.0), ("v_leak", 0), ("v_threshold", 1), ("v_reset", 0) }) lif[k] = new[] { v, v };
        var output = Node("Output"); output["shape"] = new long[] { 2 };
        var nodes = new H5Group { ["input"] = input, ["fc"] = affine, ["lif"] = lif, ["output"] = output };
        var graph = Node("NIRGraph");
        graph["nodes"] = nodes;
        graph["edges"] = new string[,] { { "input", "fc" }, { "fc", "lif" }, { "lif", "output" } };
        edit(graph, nodes);
        string path = File("hostile.nir");
        new H5File { ["version"] = "1.0.7", ["node"] = graph }.Write(path);
        return path;
    }

    public static TheoryData<string, string> HostileFiles => new()
    {
        { "valid", "" },
        { "no nodes", "the graph has no 'nodes' group" },
        { "edge to unknown node", "edge (lif, out) names 'out', which is not a node" },
        { "wrong weight shape", "weight [2, 4] must be [out, 3]" },
        { "wrong neuron count", "tau has shape [3] (3 values) but the layer has 2 neurons" },
        { "non-finite tau", "'tau' holds a non-finite value (NaN)" },
        { "unknown type", "node 'fc' has type 'Quantum', which SpikeInit does not read" },
        { "cycle", "the edges form a cycle through 'fc'; recurrent graphs are not supported" },
        { "stray node", "node 'extra' is not on the path from Input to Output" },
        { "no type", "node 'lif' has no 'type' dataset" },
        { "v_leak", "v_leak = 0.5; SpikeInit's neurons rest at and reset to 0" },
        { "per-neuron tau", "'tau' differs across neurons" },
        { "no dt", "give dt (--dt)" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Hostile_NIR_files_are_refused_with_one_clear_error(string what, string message)
    {
        string path = Hostile((graph, nodes) =>
        {
            var lif = (H5Group)nodes["lif"];
            switch (what)
            {
                case "no nodes": graph.Remove("nodes"); break;
                case "edge to unknown node": graph["edges"] = new string[,] { { "input", "fc" }, { "fc", "lif" }, { "lif", "out" } }; break;
                case "wrong weight shape": ((H5Group)nodes["fc"])["weight"] = new float[2, 4]; break;
                case "wrong neuron count": lif["tau"] = new[] { 0.01, 0.01, 0.01 }; break;
                case "non-finite tau": lif["tau"] = new[] { double.NaN, 0.01 }; break;
                case "unknown type": ((H5Group)nodes["fc"])["type"] = "Quantum"; break;
                case "cycle": graph["edges"] = new string[,] { { "input", "fc" }, { "fc", "lif" }, { "lif", "fc" } }; break;
                case "stray node": nodes["extra"] = new H5Group { ["type"] = "Flatten" }; break;
                case "no type": lif.Remove("type"); break;
                case "v_leak": lif["v_leak"] = new[] { 0.5, 0.5 }; break;
                case "per-neuron tau": lif["tau"] = new[] { 0.01, 0.02 }; break;
            }
        });
        if (what == "valid")
        {
            using SpikingNetwork net = Nir.Import(path, 1e-3);
            Assert.Equal(Math.Exp(-0.1), ((LifNeuron)((DenseLayer)net.Spec.Layers[0]).Neuron).Parameters.Beta, 1e-15);
            return;
        }
        var e = Assert.Throws<InvalidDataException>(() => Nir.Import(path, what == "no dt" ? null : 1e-3));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(message, e.Message);
    }
}
