using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Networks;
using static TorchSharp.torch;

namespace SpikeInit.Probing;

/// <summary>
/// The propagation probe: runs a network at initialization, without training, and measures per layer and time step the
/// membrane's mean, variance, skewness and excess kurtosis, the firing rate, spikes per sample, and the fraction of
/// silent and saturated neurons, next to the initializer's <c>Theory</c>, and per repeat the first layer that emitted no
/// spike at all (a collapse; Micheli et al. count collapsed runs at batch 1). Layers are run one after the other, so only
/// one layer's <c>[T, B, n]</c> tensors are alive at a time; statistics over repeats are accumulated with Welford's method.
/// </summary>
public static class Probe
{
    private sealed class Cell
    {
        public readonly RunningStatistic Mean = new(), Var = new(), Skew = new(), Kurt = new(), Rate = new(), Count = new(), Silent = new(), Saturated = new();
    }

    /// <summary>
    /// Runs the probe. Repeat r draws weights and generated inputs from a generator seeded with <c>seed + r</c>; dataset input
    /// is read as <see cref="ProbeInput.Dataset"/> describes (repeat r: the first batch of epoch r of a split seeded with <c>seed</c>).
    /// </summary>
    public static ProbeResult Run(ProbeConfiguration configuration, long seed, IProgress<ProbeProgress>? progress = null,
                                  CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProbeConfiguration c = configuration;
        NetworkSpec spec = c.Network();
        NetworkSize.Require(spec, c.Batch, c.Steps, $"probe {c.Label}");
        int layers = c.Depth + 1;
        var cells = new Cell[layers, c.Steps];
        for (int l = 0; l < layers; l++)
            for (int t = 0; t < c.Steps; t++) cells[l, t] = new Cell();
        var gradients = new (RunningStatistic Surrogate, RunningStatistic Norm)[layers];
        for (int l = 0; l < layers; l++) gradients[l] = (new RunningStatistic(), new RunningStatistic());
        double[] theoryVar = new double[layers], theoryRate = new double[layers];
        var firstSilent = new List<int?>();
        var calibrations = new List<IReadOnlyList<LayerCalibration>>();
        bool stationaryTheory = false;
        var feed = new ProbeFeed(c, seed);
        // one network per configuration; every repeat overwrites all of its weights and biases with the method
        using var construction = new Generator((ulong)seed);
        using var net = SpikingNetwork.Create(spec, construction).MoveTo(c.Device);
        for (int r = 0; r < c.Repeats; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)(seed + r));
            net.zero_grad();
            IReadOnlyList<LayerInitialization> init = NetworkInitializer.Initialize(net, c.Initializer(), feed.Statistics, generator);
            if (r == 0)
            {
                Theory(c, init, theoryVar, theoryRate);
                stationaryTheory = init.Any(x => x.Theory is { } p && (p.RatePerStep is not null || p.Regime != PredictionRegime.FirstStep));
            }
            Tensor input = feed.Next(r, c.Batch, generator).to(net.Device);   // the blocks run one by one: the input goes to them
            if (c.Calibrate is { } target) calibrations.Add(Calibration.Run(net, input, c.Steps, target, includeLast: true));
            firstSilent.Add(Forward(c, input, net, cells, r, progress, cancellation));
            if (c.Gradients) GradientPass(c, feed, r, net, generator, gradients);
        }
        var rows = new List<ProbeRow>();
        for (int l = 0; l < layers; l++)
            for (int t = 0; t < c.Steps; t++)
            {
                Cell x = cells[l, t];
                rows.Add(new ProbeRow(c, l, t, c.Repeats, x.Mean.Mean, x.Mean.Std, x.Var.Mean, x.Var.Std, x.Skew.Mean, x.Skew.Std,
                                      x.Kurt.Mean, x.Kurt.Std, x.Rate.Mean, x.Rate.Std, x.Count.Mean, x.Count.Std,
                                      x.Silent.Mean, x.Saturated.Mean, theoryVar[l], theoryRate[l]));
            }
        var gradientRows = c.Gradients
            ? Enumerable.Range(1, layers - 1).Select(l => new GradientRow(c, l, gradients[l].Surrogate.Mean, gradients[l].Surrogate.Std,
                                                                          gradients[l].Norm.Mean, gradients[l].Norm.Std)).ToList()
            : [];
        return new ProbeResult(c, rows, gradientRows, firstSilent.Count(l => l is not null), clock.Elapsed.TotalSeconds)
        {
            FirstSilentLayers = firstSilent, InputStatistics = feed.Statistics, Calibrations = calibrations, StationaryTheory = stationaryTheory,
        };
    }

    /// <summary>
    /// The predicted membrane variance and firing rate per probe layer (layer 0 = encoder or input raster); NaN for the
    /// layers a calibration rescales (the initializer's prediction is of the network before calibration).
    /// </summary>
    private static void Theory(ProbeConfiguration c, IReadOnlyList<LayerInitialization> init, double[] variance, double[] rate)
    {
        int offset = c.Input == ProbeInput.Poisson ? 1 : 0;
        if (offset == 1)
        {
            variance[0] = double.NaN;
            rate[0] = c.InputProbability;
        }
        for (int i = 0; i < init.Count; i++)
        {
            LayerInitialization x = init[i];
            if (c.Calibrate is not null)
            {
                (variance[i + offset], rate[i + offset]) = (double.NaN, double.NaN);
                continue;
            }
            variance[i + offset] = x.Theory?.MembraneStd is { } s ? s * s : x.Output.MembraneVariance;
            rate[i + offset] = x.Theory is { } p ? p.RatePerStep ?? p.FiringProbability ?? double.NaN : x.Output.Mean;
        }
    }

    /// <summary>Runs one repeat layer by layer; returns the first probe layer that emitted no spike at all, or null.</summary>
    private static int? Forward(ProbeConfiguration c, Tensor input, SpikingNetwork net, Cell[,] cells, int repeat,
                                IProgress<ProbeProgress>? progress, CancellationToken cancellation)
    {
        using var noGrad = no_grad();
        Tensor sequence = input;
        int layer = 0;
        int? silent = null;
        if (c.Input == ProbeInput.Poisson)
            Accumulate(cells, layer++, null, sequence);
        foreach (Block block in net.Blocks)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            BlockRun run = block.Run(sequence, recordMembrane: true);
            Tensor spikes = run.Spikes!;
            if (silent is null && spikes.sum().item<float>() == 0) silent = layer;
            Accumulate(cells, layer++, run.Membrane, spikes);
            Tensor next = run.Output.MoveToOuterDisposeScope();
            if (layer > 1) sequence.Dispose(); // a block's output, no longer needed (the input itself stays)
            sequence = next;
            progress?.Report(new ProbeProgress(repeat, layer, cells.GetLength(0)));
        }
        return silent;
    }

    /// <summary>Adds one layer's <see cref="LayerActivity"/> of one repeat to the running statistics per time step.</summary>
    private static void Accumulate(Cell[,] cells, int layer, Tensor? membrane, Tensor spikes)
    {
        LayerActivity a = LayerActivity.Measure(spikes, membrane);
        for (int t = 0; t < a.Steps; t++)
        {
            Cell x = cells[layer, t];
            x.Rate.Add(a.Rate[t]);
            x.Count.Add(a.Count[t]);
            x.Silent.Add(a.Silent[t]);
            x.Saturated.Add(a.Saturated[t]);
            if (a.MembraneMean is null) continue;
            x.Mean.Add(a.MembraneMean[t]);
            x.Var.Add(a.MembraneVariance![t]);
            x.Skew.Add(a.Skewness![t]);
            x.Kurt.Add(a.ExcessKurtosis![t]);
        }
    }

    /// <summary>
    /// One backward pass of cross-entropy on the last layer's spike counts with random labels (batch ≤ 8): per layer the
    /// mean surrogate derivative at the recorded membranes and the Frobenius norm of the weight gradient.
    /// </summary>
    private static void GradientPass(ProbeConfiguration c, ProbeFeed feed, int repeat, SpikingNetwork net, Generator generator,
                                     (RunningStatistic Surrogate, RunningStatistic Norm)[] stats)
    {
        using var scope = NewDisposeScope();
        Tensor input = feed.Next(repeat, Math.Min(c.Batch, 8), generator);
        int batch = (int)input.shape[1];
        NetworkRun run = net.Run(input, record: Recording.Membranes);
        Tensor labels = randint(0, c.Width, [batch], generator: generator).to(run.Output.device);
        Tensor loss = nn.functional.cross_entropy(run.Output, labels);
        loss.backward();
        int offset = c.Input == ProbeInput.Poisson ? 1 : 0;
        using var noGrad = no_grad();
        foreach (LayerRecord layer in run.Layers)
        {
            Block block = net.Blocks[layer.Index];
            Tensor? weight = block.named_parameters().Where(p => p.name == "weight").Select(p => p.parameter).FirstOrDefault();
            if (weight is null) continue;
            int l = layer.Index + offset;
            stats[l].Surrogate.Add(layer.Neuron.Surrogate.Derivative(layer.Membrane!.Minus(layer.Neuron.Threshold)).mean().item<float>());
            stats[l].Norm.Add(weight.grad is { } g ? g.norm().item<float>() : 0);
        }
    }
}
