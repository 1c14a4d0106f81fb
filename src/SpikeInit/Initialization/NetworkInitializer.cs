using SpikeInit.Layers;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>
/// Initializes a whole network with one method: walks the blocks in order, derives each population's context from the
/// network (fan-in, fan-out, neuron with its threshold and surrogate) and feeds the predicted output statistics of one
/// layer into the next (variance and firing probability for Micheli, the rate for the fluctuation-driven method), so
/// deep and conv networks are initialized in one call. A surrogate the method recommends for a layer (the stability
/// method's conditions III/IV) is given to that layer's neurons, in the network and in its <see cref="NetworkSpec"/>, so
/// training uses it and <see cref="ModelStore"/> saves it.
/// </summary>
public static class NetworkInitializer
{
    /// <summary>
    /// Draws every weight and bias of <paramref name="network"/> with <paramref name="method"/> from
    /// <paramref name="generator"/>, given the statistics of the network input. Returns one record per block.
    /// When <paramref name="applySurrogates"/> is set (the default), a layer whose plan recommends a surrogate gets it
    /// (<see cref="SpikingNetwork.UseSurrogate"/>); otherwise its neurons keep theirs. Each record says which surrogate was
    /// recommended and whether it was applied; each record's context shows the layer's neurons as they were before.
    /// </summary>
    public static IReadOnlyList<LayerInitialization> Initialize(SpikingNetwork network, Initializer method, InputStatistics input,
                                                                Generator? generator = null, bool applySurrogates = true, int steps = 0)
    {
        Validate.AtLeast(steps, "steps", 0);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(input);
        var records = new List<LayerInitialization>();
        InputStatistics x = input;
        for (int i = 0; i < network.Blocks.Count; i++)
        {
            Block block = network.Blocks[i];
            string name = block.GetName();
            try
            {
                LayerInitialization record = InitializeBlock(i, name, block, method, x, generator, steps);
                if (record.Surrogate is { } surrogate && applySurrogates)
                {
                    network.UseSurrogate(i, surrogate);
                    record = record with { SurrogateApplied = true };
                }
                records.Add(record);
                x = record.Output;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"layer {i} ({block.GetType().Name}): {e.Message}", e);
            }
        }
        return records;
    }

    private static LayerInitialization InitializeBlock(int index, string name, Block block, Initializer method, InputStatistics x, Generator? generator, int steps)
    {
        switch (block)
        {
            case EncoderBlock encoder:
                return new LayerInitialization(index, name, null, null, Encode(encoder.Neuron!, x));
            case DenseBlock dense:
            {
                var context = InitContext.Dense((int)dense.Weight.shape[1], (int)dense.Weight.shape[0], dense.Neuron!, x) with { Steps = steps };
                return Record(index, name, context, method.Draw(context, dense.Weight, dense.Bias, null, generator));
            }
            case RecurrentBlock recurrent:
            {
                var context = InitContext.Recurrent((int)recurrent.Weight.shape[1], (int)recurrent.Weight.shape[0], recurrent.Neuron!, x) with { Steps = steps };
                return Record(index, name, context, method.Draw(context, recurrent.Weight, recurrent.Bias, recurrent.RecurrentWeight, generator));
            }
            case ConvBlock conv:
            {
                long[] s = conv.Weight.shape;
                if (s[2] != s[3]) throw new ArgumentException($"only square kernels are supported, got {s[2]}x{s[3]}");
                var context = InitContext.Convolution((int)s[1], (int)s[0], (int)s[2], conv.Neuron!, x) with { Steps = steps };
                return Record(index, name, context, method.Draw(context, conv.Weight, conv.Bias, null, generator));
            }
            case PoolBlock pool:
                return new LayerInitialization(index, name, null, null, Pool(pool, x));
            case FlattenBlock:
                return new LayerInitialization(index, name, null, null, x);
            default:
                throw new ArgumentException($"no initialization rule for block type {block.GetType().Name}");
        }
    }

    private static LayerInitialization Record(int index, string name, InitContext context, LayerPlan plan) =>
        new(index, name, context, plan.Theory, plan.Theory.Output, plan.Surrogate);

    /// <summary>
    /// An encoder's neurons receive the input itself as current (first step: u₀ = g·x). Real-valued input is held
    /// constant over the steps, so the encoder's stationary rate and E[r²] are those of the mean field over time (§L5),
    /// which the next layer's time-aware theory reads (§L6).
    /// </summary>
    private static InputStatistics Encode(Neuron neuron, InputStatistics x)
    {
        if (neuron.Dynamics.SynapticCurrent) return x;
        InputStatistics output = LayerTheory.FirstStep(neuron, x.Mean, x.Variance).Output;
        if (x.Binary) return output;
        MeanFieldStationary st = TimeCourse.Predict(neuron, x.Mean, Math.Sqrt(x.Variance), 1).Stationary;
        return output with { StationaryRate = st.FiringProbability, RateSecondMoment = Math.Min(st.RateSecondMoment, st.FiringProbability) };
    }

    /// <summary>
    /// Pooling of independent inputs over k×k windows: max pooling of spikes fires with 1 − (1 − p)^{k²}; average
    /// pooling keeps the mean and divides the variance by k². Max pooling of real-valued input is passed through unchanged.
    /// </summary>
    private static InputStatistics Pool(PoolBlock pool, InputStatistics x)
    {
        long window = pool.Kernel * pool.Kernel;
        if (pool.Kind == PoolKind.Average) return x with { Binary = false, Variance = x.Variance / window };
        if (!x.Binary) return x;
        double p = 1 - Math.Pow(1 - x.Mean, window);
        InputStatistics pooled = InputStatistics.Spikes(p, x.Rate is { } r && x.Mean > 0 ? r * p / x.Mean : null, x.MembraneMean, x.MembraneVariance);
        if (x.StationaryRate is not { } s || s <= 0) return pooled;
        // the stationary rate pools alike; E[r²] keeps its ratio to the squared rate (an approximation, docs/THEORY.md §L6.4)
        double ps = 1 - Math.Pow(1 - s, window);
        return pooled with { StationaryRate = ps, RateSecondMoment = Math.Min(x.StationarySecondMoment * (ps * ps) / (s * s), ps) };
    }
}
