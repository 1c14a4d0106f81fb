using PureHDF;
using SpikeInit.IO;
using SpikeInit.Layers;
using SpikeInit.Networks;

namespace SpikeInit.Interop;

/// <summary>
/// Export to and import from NIR, the Neuromorphic Intermediate Representation (neuromorphs/NIR): an HDF5 file with a
/// <c>version</c> string and a <c>node</c> graph of typed nodes and edges, laid out as the reference writer does
/// (<see cref="NirWriter"/>). The network becomes a chain <c>Input → (Affine|Linear|Conv2d → neuron | Flatten | AvgPool2d
/// | SumPool2d → IF | neuron)… → Output</c> (max pooling of spikes as a window sum and a threshold of 0.5); the neurons map to NIR's continuous-time models at an explicit step dt (<see cref="NirNeurons"/>,
/// docs/THEORY.md §NIR). What NIR cannot represent is refused with the layer and the reason, never approximated.
/// </summary>
public static class Nir
{
    /// <summary>The NIR version written (the reference package's release whose layout this follows).</summary>
    public const string Version = "1.0.7";

    /// <summary>Graph metadata: the step dt (s) the neuron parameters were converted at.</summary>
    public const string DtKey = "spikeinit_dt";

    /// <summary>Graph metadata: SpikeInit's reduction of the output sequence (NIR's graphs end at the sequence).</summary>
    public const string ReadoutKey = "spikeinit_readout";

    /// <summary>
    /// The threshold of the IF node that follows a SumPool2d in SpikeInit's export of max pooling over spikes (the pair is
    /// read back as max pooling).
    /// </summary>
    internal const double MaxPoolThreshold = 0.5;

    /// <summary>Writes <paramref name="network"/> (architecture and weights) as a NIR file, converting neurons at step <paramref name="dt"/> seconds.</summary>
    /// <exception cref="ArgumentException">dt is not positive and finite, or a layer, neuron or reset has no NIR counterpart (the message names it).</exception>
    public static void Export(SpikingNetwork network, double dt, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Validate.InRange(dt, "dt", 0, 1e6, lowOpen: true);
        NetworkSpec spec = network.Spec;
        if (spec.InitialMembrane is not null) throw new ArgumentException("the network starts from a drawn initial membrane; NIR graphs start at rest");
        var nodes = new H5Group { ["input"] = Shaped("Input", spec.InputShape) };
        var chain = new List<string> { "input" };
        long[] shape = spec.InputShape;
        for (int l = 0; l < spec.Layers.Count; l++)
        {
            LayerSpec layer = spec.Layers[l];
            Block block = network.Blocks[l];
            string name = $"layers.{l}", label = $"layer {l} ({layer.GetType().Name})";
            long[] next = block.OutputShape(shape);
            void Add(string key, H5Group node) { nodes[key] = node; chain.Add(key); }
            switch (layer, block)
            {
                case (DenseLayer d, DenseBlock b):
                    var dense = NirWriter.Node(b.Bias is null ? "Linear" : "Affine");
                    dense["weight"] = Weights(b.Weight);
                    if (b.Bias is { } bias) dense["bias"] = Weights(bias);
                    Add(name, dense);
                    Add(name + ".neuron", NirNeurons.Export(d.Neuron, d.Output, dt, next, label));
                    break;
                case (ConvLayer c, ConvBlock b):
                    var conv = NirWriter.Node("Conv2d");
                    conv["input_shape"] = NirWriter.Tuple(shape[1], shape[2]);
                    conv["weight"] = Weights(b.Weight);
                    conv["stride"] = NirWriter.Tuple(c.Stride, c.Stride);
                    conv["padding"] = NirWriter.Tuple(c.Padding, c.Padding);
                    conv["dilation"] = NirWriter.Tuple(1, 1);
                    conv["groups"] = 1L;
                    conv["bias"] = b.Bias is { } cb ? Weights(cb) : NirWriter.Array(new float[next[0]], [next[0]]);
                    Add(name, conv);
                    Add(name + ".neuron", NirNeurons.Export(c.Neuron, BlockOutput.Spikes, dt, next, label));
                    break;
                case (EncoderLayer e, _):
                    Add(name + ".neuron", NirNeurons.Export(e.Neuron, BlockOutput.Spikes, dt, next, label));
                    break;
                case (FlattenLayer, _):
                    var flatten = Shaped("Flatten", shape, "input_type");
                    flatten["start_dim"] = 0L;
                    flatten["end_dim"] = -1L;
                    Add(name, flatten);
                    break;
                case (PoolLayer { Kind: PoolKind.Average } p, _):
                    Add(name, Pool("AvgPool2d", p));
                    break;
                case (PoolLayer { Kind: PoolKind.Max } p, _) when Spikes(network, l):
                    // the max of binary spikes over a window is one spike when their sum reaches 1: SumPool2d, then an IF
                    // neuron with v_threshold 0.5 and r = 1/dt (its membrane is the sum each step: it resets after every spike)
                    Add(name, Pool("SumPool2d", p));
                    var spikeOr = NirWriter.Node("IF");
                    spikeOr["r"] = NirWriter.PerNeuron(1 / dt, next);
                    spikeOr["v_threshold"] = NirWriter.PerNeuron(MaxPoolThreshold, next);
                    spikeOr["v_reset"] = NirWriter.PerNeuron(0, next);
                    Add(name + ".max", spikeOr);
                    break;
                case (PoolLayer p, _):
                    throw new ArgumentException($"{label}: {EnumNames.Of(p.Kind)} pooling of values other than spikes has no NIR node (NIR has SumPool2d and AvgPool2d; max pooling is exported for spikes only)");
                default:
                    throw new ArgumentException($"{label}: has no NIR export (recurrent layers and other layer kinds are not exported)");
            }
            shape = next;
        }
        nodes["output"] = Shaped("Output", shape);
        chain.Add("output");
        var graph = NirWriter.Node("NIRGraph");
        graph["nodes"] = nodes;
        graph["edges"] = NirWriter.Edges([.. chain.Zip(chain.Skip(1))]);
        graph["metadata"] = new H5Group { [DtKey] = dt, [ReadoutKey] = EnumNames.Of(spec.Readout) };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, p => new H5File { ["version"] = Version, ["node"] = graph }.Write(p));
    }

    /// <summary>
    /// Reads a NIR file into a network (float32) with the file's weights. <paramref name="dt"/> converts the continuous
    /// time constants back to per-step decays; null takes the dt the file was exported at (SpikeInit's metadata).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a NIR graph SpikeInit can run (the message says which node and why).</exception>
    public static SpikingNetwork Import(string path, double? dt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (dt is { } given) Validate.InRange(given, "dt", 0, 1e6, lowOpen: true);
        NirGraph graph = NirGraph.Read(path);
        try
        {
            return NirImport.Build(graph, dt);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The model folder of <paramref name="folder"/>: the folder itself when it holds <c>model.json</c>, else its
    /// <c>model</c> subfolder (a training run's folder).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither holds a <c>model.json</c>.</exception>
    public static string ModelFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        foreach (string candidate in new[] { folder, Path.Combine(folder, "model") })
            if (File.Exists(Path.Combine(candidate, "model.json"))) return candidate;
        throw new FileNotFoundException($"{folder} holds no model.json, neither itself nor in model/ (give a model folder or a training run's folder)");
    }

    /// <summary>Whether layer <paramref name="l"/> receives binary spikes: from a spiking block, or through max pooling of them.</summary>
    private static bool Spikes(SpikingNetwork network, int l) => l > 0 && network.Blocks[l - 1] switch
    {
        SpikingBlock b => b.Output == BlockOutput.Spikes,
        PoolBlock => network.Spec.Layers[l - 1] is PoolLayer { Kind: PoolKind.Max } && Spikes(network, l - 1),
        _ => false,
    };

    private static H5Group Pool(string type, PoolLayer p)
    {
        var pool = NirWriter.Node(type);
        int stride = p.Stride == 0 ? p.Kernel : p.Stride;
        pool["kernel_size"] = NirWriter.Array(new long[] { p.Kernel, p.Kernel }, [2]);
        pool["stride"] = NirWriter.Array(new long[] { stride, stride }, [2]);
        pool["padding"] = NirWriter.Array(new long[] { 0, 0 }, [2]);
        return pool;
    }

    private static H5Dataset Weights(TorchSharp.torch.Tensor t)
    {
        using var cpu = t.detach().cpu().to_type(TorchSharp.torch.ScalarType.Float32);
        return NirWriter.Array(cpu.data<float>().ToArray(), cpu.shape);
    }

    private static H5Group Shaped(string type, long[] shape, string key = "shape")
    {
        var node = NirWriter.Node(type);
        node[key] = NirWriter.Array(shape.ToArray(), [shape.Length]);
        return node;
    }
}
