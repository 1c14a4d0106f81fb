using SpikeInit.Layers;
using SpikeInit.Networks;

namespace SpikeInit.Interop;

/// <summary>
/// Turns a <see cref="NirGraph"/> into a SpikeInit network: the edges must form one chain from the single Input node to
/// the single Output node through every node (no branches, no cycles); each Affine, Linear or Conv2d node must be followed
/// by a neuron node; shapes are checked along the chain before any tensor is made.
/// </summary>
internal static class NirImport
{
    private static readonly string[] Known = ["Input", "Output", "Affine", "Linear", "Conv2d", "Flatten", "AvgPool2d", "SumPool2d", .. NirNeurons.Types];

    /// <summary>Builds the network and copies the weights in.</summary>
    public static SpikingNetwork Build(NirGraph graph, double? dt)
    {
        List<NirNode> chain = Chain(graph);
        double step = dt ?? (graph.Root.Metadata.TryGetValue(Nir.DtKey, out var m) && m.Count == 1 && double.IsFinite(m.Values[0]) && m.Values[0] > 0
            ? m.Values[0]
            : throw new InvalidDataException($"the file does not say which step dt it was exported at (no '{Nir.DtKey}' metadata); give dt (--dt)"));
        long[] shape = chain[0].Integers("shape");
        if (shape.Length is 0 or > 4 || shape.Any(s => s < 1)) throw new InvalidDataException($"node '{chain[0].Name}' (Input): shape [{string.Join(", ", shape)}] must have 1 to 4 positive sizes");
        long[] inputShape = shape;
        var layers = new List<LayerSpec>();
        var weights = new List<(NirArray Weight, NirArray? Bias)?>();
        for (int i = 1; i < chain.Count - 1; i++)
        {
            NirNode node = chain[i];
            string at = $"node '{node.Name}' ({node.Type})";
            if (node.Type is "Affine" or "Linear" or "Conv2d")
            {
                NirNode neuronNode = chain[i + 1];
                if (!NirNeurons.Types.Contains(neuronNode.Type))
                    throw new InvalidDataException($"{at} is followed by '{neuronNode.Name}' ({neuronNode.Type}); SpikeInit needs neurons after every weight layer");
                var (neuron, output) = NirNeurons.Import(neuronNode, step);
                NirArray w = node.Array("weight");
                NirArray? b = node.Type == "Linear" ? null : node.Array("bias");
                if (w.Values.Concat(b?.Values ?? []).Any(v => !double.IsFinite(v))) throw new InvalidDataException($"{at}: weight or bias holds a non-finite value");
                bool bias = b is not null && b.Values.Any(v => v != 0);
                long units;
                if (node.Type == "Conv2d")
                {
                    if (shape.Length != 3 || w.Shape is not [var co, var ci, var kh, var kw] || ci != shape[0] || kh != kw)
                        throw new InvalidDataException($"{at}: weight {w.ShapeText} must be [C_out, {(shape.Length == 3 ? shape[0] : "C_in")}, k, k] for an input of shape [{string.Join(", ", shape)}]");
                    long[] stride = Pair(node, "stride"), padding = Pair(node, "padding"), dilation = Pair(node, "dilation");
                    if (dilation[0] != 1) throw new InvalidDataException($"{at}: dilation {dilation[0]} is not supported (1 only)");
                    if (node.Uniform("groups", 1) != 1) throw new InvalidDataException($"{at}: groups other than 1 are not supported");
                    if (b is not null && b.Count != co) throw new InvalidDataException($"{at}: bias {b.ShapeText} must be [{co}]");
                    if (stride[0] < 1 || padding[0] < 0) throw new InvalidDataException($"{at}: stride {stride[0]} must be >= 1 and padding {padding[0]} >= 0");
                    layers.Add(new ConvLayer((int)co, (int)kh, neuron, (int)stride[0], (int)padding[0], bias));
                    shape = [co, Shapes.ConvOut(shape[1], kh, stride[0], padding[0]), Shapes.ConvOut(shape[2], kh, stride[0], padding[0])];
                    if (shape[1] < 1 || shape[2] < 1) throw new InvalidDataException($"{at}: the kernel {kh} is larger than the padded input");
                    units = shape.Aggregate(1L, (x, y) => x * y);
                }
                else
                {
                    if (shape.Length != 1 || w.Shape is not [var rows, var cols] || cols != shape[0])
                        throw new InvalidDataException($"{at}: weight {w.ShapeText} must be [out, {(shape.Length == 1 ? shape[0] : "in")}] for an input of shape [{string.Join(", ", shape)}]{(shape.Length == 1 ? "" : "; flatten first")}");
                    if (b is not null && b.Count != rows) throw new InvalidDataException($"{at}: bias {b.ShapeText} must be [{rows}]");
                    layers.Add(new DenseLayer((int)rows, neuron, bias, output));
                    shape = [rows];
                    units = rows;
                }
                if (node.Type == "Conv2d" && output != BlockOutput.Spikes) throw new InvalidDataException($"{at}: a convolution must feed spiking neurons, not {neuronNode.Type}");
                RequireUnits(neuronNode, units);
                weights.Add((w, bias ? b : null));
                i++;
            }
            else if (NirNeurons.Types.Contains(node.Type))
            {
                var (neuron, output) = NirNeurons.Import(node, step);
                if (output != BlockOutput.Spikes) throw new InvalidDataException($"{at} without a weight layer before it must spike");
                RequireUnits(node, shape.Aggregate(1L, (x, y) => x * y));
                layers.Add(new EncoderLayer(neuron));
                weights.Add(null);
            }
            else if (node.Type == "Flatten")
            {
                long start = (long)node.Uniform("start_dim", 1), end = (long)node.Uniform("end_dim", -1);
                if (start != 0 || end != -1 && end != shape.Length - 1)
                    throw new InvalidDataException($"{at}: start_dim {start}, end_dim {end}; only the flattening of all per-sample dimensions (0, -1) is supported");
                if (node.Arrays.ContainsKey("input_type") && !node.Integers("input_type").SequenceEqual(shape))
                    throw new InvalidDataException($"{at}: input_type [{string.Join(", ", node.Integers("input_type"))}] is not the incoming shape [{string.Join(", ", shape)}]");
                layers.Add(new FlattenLayer());
                weights.Add(null);
                shape = [shape.Aggregate(1L, (x, y) => x * y)];
            }
            else if (node.Type is "AvgPool2d" or "SumPool2d")
            {
                long[] kernel = Pair(node, "kernel_size"), stride = Pair(node, "stride"), padding = Pair(node, "padding");
                if (padding[0] != 0 || kernel[0] < 1 || stride[0] < 1 || shape.Length != 3)
                    throw new InvalidDataException($"{at}: kernel {kernel[0]}, stride {stride[0]}, padding {padding[0]} on shape [{string.Join(", ", shape)}]; SpikeInit pools [C, H, W] without padding");
                shape = [shape[0], Shapes.ConvOut(shape[1], kernel[0], stride[0], 0), Shapes.ConvOut(shape[2], kernel[0], stride[0], 0)];
                if (node.Type == "SumPool2d")
                {
                    RequireMaxOfSpikes(node, chain[i + 1], step, shape.Aggregate(1L, (x, y) => x * y));
                    i++;
                }
                layers.Add(new PoolLayer(node.Type == "SumPool2d" ? PoolKind.Max : PoolKind.Average, (int)kernel[0], (int)stride[0]));
                weights.Add(null);
            }
            else throw new InvalidDataException($"{at}: SpikeInit has no layer for this node type here (it reads {string.Join(", ", Known)})");
        }
        NirNode outputNode = chain[^1];
        if (outputNode.Arrays.ContainsKey("shape") && !outputNode.Integers("shape").Where(d => d != 1).SequenceEqual(shape.Where(d => d != 1)))
            throw new InvalidDataException($"node '{outputNode.Name}' (Output): shape [{string.Join(", ", outputNode.Integers("shape"))}] is not the network's output shape [{string.Join(", ", shape)}]");
        if (layers.Count == 0) throw new InvalidDataException("the graph has no layers between Input and Output");
        Readout readout = graph.Root.MetadataStrings.TryGetValue(Nir.ReadoutKey, out var r) ? ParseReadout(r) : Readout.SpikeCount;
        var spec = new NetworkSpec(inputShape, layers, readout);
        SpikingNetwork network;
        try
        {
            network = SpikingNetwork.Create(spec);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(Validate.Message(e), e);
        }
        using (TorchSharp.torch.no_grad())
            for (int l = 0; l < layers.Count; l++)
                if (weights[l] is var (w, b))
                {
                    var (weight, bias) = network.Blocks[l] switch
                    {
                        DenseBlock d => (d.Weight, d.Bias),
                        ConvBlock c => (c.Weight, c.Bias),
                        _ => throw new InvalidOperationException("a weight layer without weights"),
                    };
                    weight.copy_(TorchSharp.torch.tensor(w.Values, w.Shape));
                    if (b is not null) bias!.copy_(TorchSharp.torch.tensor(b.Values, b.Shape));
                }
        return network;
    }

    private static Readout ParseReadout(string text)
    {
        try
        {
            return EnumNames.Parse<Readout>(text, Nir.ReadoutKey);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"graph metadata: {Validate.Message(e)}", e);
        }
    }

    /// <summary>
    /// A SumPool2d is read only as SpikeInit's export of max pooling over spikes: followed by an IF node with r = 1/dt,
    /// v_threshold 0.5 and v_reset 0, whose membrane is then the window's spike count each step.
    /// </summary>
    private static void RequireMaxOfSpikes(NirNode pool, NirNode next, double dt, long units)
    {
        string expected = $"SpikeInit reads a SumPool2d only as max pooling of spikes: followed by an IF node with r = 1/dt = {1 / dt}, v_threshold = {Nir.MaxPoolThreshold} and v_reset = 0";
        if (next.Type != "IF") throw new InvalidDataException($"node '{pool.Name}' (SumPool2d) is followed by '{next.Name}' ({next.Type}); {expected}");
        RequireUnits(next, units);
        bool Is(string key, double value) => next.Arrays.TryGetValue(key, out var a) && a.Values.All(v => Math.Abs(v - value) <= 1e-9 * Math.Max(1, Math.Abs(value)));
        if (!Is("r", 1 / dt) || !Is("v_threshold", Nir.MaxPoolThreshold) || next.Arrays.ContainsKey("v_reset") && !Is("v_reset", 0))
            throw new InvalidDataException($"node '{next.Name}' (IF) after SumPool2d '{pool.Name}': {expected}");
    }

    private static long[] Pair(NirNode node, string key)
    {
        long[] v = node.Integers(key);
        if (v.Length is 1 or 2 && v[0] == v[^1]) return [v[0], v[0]];
        throw new InvalidDataException($"node '{node.Name}' ({node.Type}): {key} [{string.Join(", ", v)}] must be one value or two equal ones (square)");
    }

    private static void RequireUnits(NirNode neuron, long units)
    {
        foreach (var (key, a) in neuron.Arrays)
            if (a.Count != units)
                throw new InvalidDataException($"node '{neuron.Name}' ({neuron.Type}): {key} has shape {a.ShapeText} ({a.Count} values) but the layer has {units} neurons");
    }

    /// <summary>A node on a cycle of the edges (Kahn's algorithm leaves exactly the nodes on or after cycles), or null.</summary>
    private static string? Cycle(NirGraph graph)
    {
        var indegree = graph.Nodes.Keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        foreach (var (_, to) in graph.Edges) indegree[to]++;
        var ready = new Queue<string>(indegree.Where(p => p.Value == 0).Select(p => p.Key));
        while (ready.TryDequeue(out string? n))
            foreach (var (from, to) in graph.Edges)
                if (from == n && --indegree[to] == 0) ready.Enqueue(to);
        return graph.Edges.Select(e => e.From).FirstOrDefault(n => indegree[n] > 0);
    }

    /// <summary>The nodes in order from the Input node to the Output node, or a clear error.</summary>
    private static List<NirNode> Chain(NirGraph graph)
    {
        foreach (var node in graph.Nodes.Values)
            if (!Known.Contains(node.Type))
                throw new InvalidDataException($"node '{node.Name}' has type '{node.Type}', which SpikeInit does not read (it reads {string.Join(", ", Known)})");
        foreach (var (from, to) in graph.Edges)
            foreach (string end in new[] { from, to })
                if (!graph.Nodes.ContainsKey(end)) throw new InvalidDataException($"edge ({from}, {to}) names '{end}', which is not a node");
        if (Cycle(graph) is { } looped) throw new InvalidDataException($"the edges form a cycle through '{looped}'; recurrent graphs are not supported");
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        var incoming = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (from, to) in graph.Edges)
        {
            if (!next.TryAdd(from, to)) throw new InvalidDataException($"node '{from}' has more than one outgoing edge; SpikeInit reads chains, not branches");
            if (!incoming.Add(to)) throw new InvalidDataException($"node '{to}' has more than one incoming edge; SpikeInit reads chains, not merges");
        }
        NirNode[] inputs = [.. graph.Nodes.Values.Where(n => n.Type == "Input")], outputs = [.. graph.Nodes.Values.Where(n => n.Type == "Output")];
        if (inputs.Length != 1 || outputs.Length != 1)
            throw new InvalidDataException($"the graph has {inputs.Length} Input and {outputs.Length} Output nodes; SpikeInit reads graphs with one of each");
        var chain = new List<NirNode> { inputs[0] };
        var seen = new HashSet<string>(StringComparer.Ordinal) { inputs[0].Name };
        while (chain[^1].Type != "Output")
        {
            if (!next.TryGetValue(chain[^1].Name, out string? to))
                throw new InvalidDataException($"node '{chain[^1].Name}' has no outgoing edge, so the Input does not reach the Output");
            seen.Add(to);
            chain.Add(graph.Nodes[to]);
        }
        if (next.ContainsKey(chain[^1].Name)) throw new InvalidDataException($"the Output node '{chain[^1].Name}' has an outgoing edge");
        if (graph.Nodes.Keys.FirstOrDefault(k => !seen.Contains(k)) is { } stray)
            throw new InvalidDataException($"node '{stray}' is not on the path from Input to Output");
        return chain;
    }
}
