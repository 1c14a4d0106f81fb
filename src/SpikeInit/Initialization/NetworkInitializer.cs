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
    /// With <paramref name="initialMembrane"/> <see cref="InitialMembraneMode.Stationary"/> the network's membranes start
    /// each run from every LIF-family layer's predicted stationary distribution (<see cref="StartStationary"/>); rest (the
    /// default) leaves the network's start untouched.
    /// </summary>
    public static IReadOnlyList<LayerInitialization> Initialize(SpikingNetwork network, Initializer method, InputStatistics input,
                                                                Generator? generator = null, bool applySurrogates = true, int steps = 0,
                                                                InitialMembraneMode initialMembrane = InitialMembraneMode.Rest)
    {
        Validate.AtLeast(steps, "steps", 0);
        // the stationary start needs each layer's time course: at least one step of it (the weights do not depend on it)
        if (initialMembrane == InitialMembraneMode.Stationary) steps = Math.Max(steps, 1);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(input);
        var records = new List<LayerInitialization>();
        var inputs = new List<InputStatistics>();
        InputStatistics x = input;
        for (int i = 0; i < network.Blocks.Count; i++)
        {
            Block block = network.Blocks[i];
            string name = block.GetName();
            if (i == network.Blocks.Count - 1 && network.SkipSources.Count > 0)
                x = InputStatistics.Concatenated([.. network.SkipSources.Select(s => (records[s.Index].Output, s.Features))]);
            inputs.Add(x);
            try
            {
                LayerInitialization record = InitializeBlock(i, name, block, method, x, generator, steps);
                if (block is SpikingBlock { Normalization: { } norm } && record.Theory is { } theory)
                    record = record with
                    {
                        Theory = theory with
                        {
                            Notes = [.. theory.Notes, $"a {EnumNames.Of(norm.Kind)} normalization follows this connection; the prediction is for the unnormalized "
                                                      + (norm.OnMembrane ? "membrane" : "current") + " (the norm replaces its batch statistics by its own affine map, docs/THEORY.md §N1)"],
                        },
                    };
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
        return initialMembrane == InitialMembraneMode.Stationary ? StartStationary(network, records, inputs, generator) : records;
    }

    /// <summary>
    /// Lets every LIF-family layer of <paramref name="network"/> start each run from its predicted stationary membrane
    /// N(μ_U, σ_U²) (<see cref="MeanFieldStationary"/> of the record's <see cref="Prediction.TimeCourse"/>; for an encoder,
    /// of <see cref="TimeCourse.Predict"/> with its real-valued input held constant) and returns the records with the
    /// distribution each layer got, or why it starts from rest. The draw's seed comes from <paramref name="generator"/>
    /// (0 without one); see <see cref="InitialMembrane"/> for how runs draw.
    /// </summary>
    private static List<LayerInitialization> StartStationary(SpikingNetwork network, List<LayerInitialization> records,
                                                             List<InputStatistics> inputs, Generator? generator)
    {
        var layers = new MembraneDistribution?[records.Count];
        var result = new List<LayerInitialization>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            LayerInitialization record = records[i];
            if (network.Blocks[i] is not SpikingBlock block)
            {
                result.Add(record);
                continue;
            }
            (MembraneDistribution? start, string note) = Stationary(block, record, inputs[i]);
            layers[i] = start;
            result.Add(record with { InitialMembrane = start, InitialMembraneNote = note });
        }
        long seed = generator is null ? 0 : randint(long.MaxValue, [1], ScalarType.Int64, generator: generator).item<long>();
        network.UseInitialMembrane(new InitialMembrane(layers, seed));
        return result;
    }

    private static (MembraneDistribution? Start, string Note) Stationary(SpikingBlock block, LayerInitialization record, InputStatistics input)
    {
        Neuron neuron = block.Neuron;
        if (neuron.Dynamics.SynapticCurrent)
            return (null, $"starts from rest: no stationary membrane theory for {neuron.Name} neurons");
        MeanFieldCourse? course = record.Theory?.TimeCourse;
        if (course is null && block is EncoderBlock && !input.Binary)
            course = TimeCourse.Predict(neuron, input.Mean, Math.Sqrt(input.Variance), 1);
        if (course is null)
            return (null, "starts from rest: no stationary prediction for this layer" + (block is EncoderBlock ? " (binary input)" : " (use --method stationary for recurrent layers)"));
        MeanFieldStationary st = course.Stationary;
        // ALIF: every course of an adaptive layer is at its stationary mean threshold (TimeCourse.Adapted, docs/THEORY.md
        // §S10.6); the trace starts at its stationary mean, the rate
        double trace = neuron.Dynamics.Adaptation is { Increment: > 0 } ? st.FiringProbability : 0;
        var start = new MembraneDistribution(st.MembraneMean, Math.Sqrt(st.MembraneVariance), trace);
        string note = $"starts from the stationary membrane N({F(start.Mean)}, {F(start.Std)}^2)"
                      + (trace > 0 ? $" and the threshold trace at its stationary mean {F(trace)} (the LIF law at the mean threshold)" : "")
                      + (st.Converged ? "" : " (the mean field had not converged)");
        return (start, note);
    }

    private static string F(double x) => x.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);

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
            case RecurrentConv1dBlock rconv:
            {
                long[] s = rconv.Weight.shape;
                var context = InitContext.RecurrentConvolution1d((int)s[1], (int)s[0], (int)s[2], (int)rconv.RecurrentWeight.shape[2], rconv.Neuron, x) with { Steps = steps };
                LayerPlan plan = method.Plan(context);
                plan.Apply(rconv.Weight, rconv.Bias, rconv.RecurrentWeight, generator);
                return Record(index, name, context, plan);
            }
            case DaleBlock dale:
                return DaleInitialization.Initialize(index, name, dale, method, x, generator);
            case SlstmBlock slstm:
                return SlstmInitialization.Initialize(index, name, slstm, method, generator);
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
