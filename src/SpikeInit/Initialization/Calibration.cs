using SpikeInit.Layers;
using SpikeInit.Networks;
using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>One calibrated layer: its measured quantity before and after, the target, and the scale applied.</summary>
/// <param name="Layer">Block index.</param>
/// <param name="Name">Block name.</param>
/// <param name="RateBefore">Firing rate per neuron and step of the network as it was before calibration.</param>
/// <param name="RateAfter">Firing rate after.</param>
/// <param name="Before">The matched quantity before (rate or membrane σ).</param>
/// <param name="After">The matched quantity after.</param>
/// <param name="Target">The target value.</param>
/// <param name="Scale">The factor applied to the layer's selected weights (<see cref="CalibrationTarget.Weights"/>).</param>
/// <param name="Evaluations">Forward passes the search took.</param>
public sealed record LayerCalibration(int Layer, string Name, double RateBefore, double RateAfter, double Before, double After,
                                      double Target, double Scale, int Evaluations);

/// <summary>
/// Data-driven calibration of a spiking network (LSUV-style, Mishkin &amp; Matas 2016, for spikes): layer by layer in
/// order, run real input over all T steps, measure the layer's firing rate (or membrane σ) with
/// <see cref="LayerActivity"/>, and multiply its weights (feed-forward and recurrent alike, or only the ones
/// <see cref="CalibrationTarget.Weights"/> selects: layers without them are left as they are) by the factor a bisection in
/// log-scale finds, until the target is met within its tolerance. Biases are left as they are. The last block (the
/// readout) is not calibrated. A target no scale in [1e-3, 1e3] reaches is an error that gives the reachable range.
/// </summary>
public static class Calibration
{
    private const double MinScale = 1e-3, MaxScale = 1e3;

    /// <summary>
    /// Calibrates <paramref name="network"/> in place on <paramref name="input"/> (a batch, as <see cref="SpikingNetwork.Run"/> takes it).
    /// A layer's activity depends only on the blocks before it, which are final when it is calibrated, so the search runs
    /// only that block on the recorded input it receives: one block per evaluation, not the whole network (the result is
    /// the same). <paramref name="includeLast"/> calibrates the last block too (a network without a readout, such as the
    /// probe's deep stack, whose last block is a hidden layer).
    /// </summary>
    public static IReadOnlyList<LayerCalibration> Run(SpikingNetwork network, Tensor input, int? steps, CalibrationTarget target, int maxEvaluations = 60,
                                                      bool includeLast = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Validate.InRange(target.Tolerance, "tolerance", 0, 1, lowOpen: true, highOpen: true);
        // batch normalization is scale-invariant: a normalized current (or membrane) does not change when its weights do
        if (target.Weights != CalibrationWeights.Recurrent
            && network.Blocks.Take(network.Blocks.Count - (includeLast ? 0 : 1)).Select((b, i) => (b, i)).FirstOrDefault(x => x.b is SpikingBlock { Normalization: not null }) is ({ } normalized, int at))
            throw new ArgumentException($"calibrate: layer {at} has a {EnumNames.Of(((SpikingBlock)normalized).Normalization!.Kind)} normalization after its connection, which undoes any rescaling of its input weights (batch normalization is scale-invariant); drop --norm, or calibrate the recurrent weights only (which the norm does not see)");
        var results = new List<LayerCalibration>();
        double? keep = null;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Dictionary<int, (double Rate, double Quantity)> initial = Observe(network, input, steps, target);
        int calibrated = network.Blocks.Count - (includeLast ? 0 : 1);
        Tensor sequence = network.AsSequence(input, steps);
        for (int l = 0; l < calibrated; l++)
        {
            Block block = network.Blocks[l];
            Tensor[] weights = [.. block.named_parameters().Where(p => Scaled(p.name, target.Weights)).Select(p => p.parameter)];
            if (weights.Length > 0 && block.Neuron is not null)
            {
                Tensor[] original = [.. weights.Select(w => w.detach().clone())];
                int evaluations = 0;
                Tensor layerInput = sequence;
                (double Rate, double Quantity) Measure(double scale)
                {
                    evaluations++;
                    for (int i = 0; i < weights.Length; i++) weights[i].copy_(original[i].Times(scale));
                    using var inner = NewDisposeScope();
                    return Quantities(block.Run(layerInput, recordMembrane: true), target) ?? throw new InvalidOperationException($"layer {l} emits no spikes to calibrate");
                }
                var before = initial[l];
                var current = Measure(1.0);
                if (target.Quantity == CalibrationQuantity.KeepFirstRate && keep is null)
                {
                    keep = current.Rate;
                    results.Add(new LayerCalibration(l, block.GetName(), before.Rate, current.Rate, before.Quantity, current.Quantity, current.Quantity, 1.0, evaluations));
                }
                else
                {
                    double goal = keep ?? target.Value;
                    (double scale, var after) = Search(Measure, current, goal, target.Tolerance, maxEvaluations, $"layer {l} ({block.GetName()})", target.Quantity);
                    for (int i = 0; i < weights.Length; i++) weights[i].copy_(original[i].Times(scale));
                    results.Add(new LayerCalibration(l, block.GetName(), before.Rate, after.Rate, before.Quantity, after.Quantity, goal, scale, evaluations));
                }
                foreach (Tensor o in original) o.Dispose();
            }
            if (l + 1 < calibrated) sequence = Advance(block, sequence, first: l == 0);
        }
        return results;
    }

    /// <summary>Whether the parameter <paramref name="name"/> is among the weights <paramref name="weights"/> selects.</summary>
    private static bool Scaled(string name, CalibrationWeights weights) => weights switch
    {
        CalibrationWeights.Input => name == "weight",
        CalibrationWeights.Recurrent => name == "recurrent_weight",
        _ => name is "weight" or "recurrent_weight",
    };

    /// <summary>Runs one block with its final weights; the previous block's output (not the network input) is disposed.</summary>
    private static Tensor Advance(Block block, Tensor sequence, bool first)
    {
        Tensor next;
        using (var inner = NewDisposeScope())
            next = block.Run(sequence, recordMembrane: false).Output.MoveToOuterDisposeScope();
        if (!first) sequence.Dispose();
        return next;
    }

    /// <summary>The firing rate and matched quantity of one block's run, or null for a block without spikes.</summary>
    private static (double Rate, double Quantity)? Quantities(BlockRun run, CalibrationTarget target)
    {
        if (run.Spikes is null) return null;
        LayerActivity a = LayerActivity.Measure(run.Spikes, run.Membrane);
        return (a.MeanRate, target.Quantity == CalibrationQuantity.MembraneStd ? Math.Sqrt(a.MembraneVariance!.Average()) : a.MeanRate);
    }

    /// <summary>Each spiking layer's firing rate and matched quantity on one run, block by block (one block's activity alive at a time).</summary>
    private static Dictionary<int, (double Rate, double Quantity)> Observe(SpikingNetwork network, Tensor input, int? steps, CalibrationTarget target)
    {
        var result = new Dictionary<int, (double Rate, double Quantity)>();
        Tensor sequence = network.AsSequence(input, steps);
        for (int l = 0; l < network.Blocks.Count; l++)
        {
            Block block = network.Blocks[l];
            Tensor next;
            using (var inner = NewDisposeScope())
            {
                BlockRun run = block.Run(sequence, recordMembrane: block.Neuron is not null);
                if (block.Neuron is not null && Quantities(run, target) is { } q) result[l] = q;
                next = run.Output.MoveToOuterDisposeScope();
            }
            if (l > 0) sequence.Dispose();
            sequence = next;
        }
        sequence.Dispose();
        return result;
    }

    /// <summary>Bisection in log-scale on a quantity that grows with the weight scale.</summary>
    private static (double Scale, (double Rate, double Quantity) At) Search(Func<double, (double Rate, double Quantity)> measure, (double Rate, double Quantity) atOne,
                                                                          double goal, double tolerance, int maxEvaluations, string layer, CalibrationQuantity quantity)
    {
        bool Close((double Rate, double Quantity) m) => Math.Abs(m.Quantity - goal) <= tolerance * goal;
        if (Close(atOne)) return (1.0, atOne);
        double lo = Math.Log(MinScale), hi = Math.Log(MaxScale);
        var low = measure(MinScale);
        var high = measure(MaxScale);
        if (!(low.Quantity <= goal && goal <= high.Quantity))
            throw new ArgumentException($"{layer}: the target {EnumNames.Of(quantity)} {Validate.Format(goal)} is out of reach: scaling the weights by "
                                        + $"[{MinScale:G1}, {MaxScale:G0}] gives {Validate.Format(low.Quantity)} … {Validate.Format(high.Quantity)} on this input");
        if (atOne.Quantity < goal) lo = 0; else hi = 0;
        for (int i = 0; i < maxEvaluations; i++)
        {
            double mid = (lo + hi) / 2;
            var m = measure(Math.Exp(mid));
            if (Close(m)) return (Math.Exp(mid), m);
            if (m.Quantity < goal) lo = mid; else hi = mid;
        }
        throw new ArgumentException($"{layer}: no weight scale meets the target {EnumNames.Of(quantity)} {Validate.Format(goal)} within ±{tolerance:P0} after {maxEvaluations} steps "
                                    + "(the response to the scale jumps over the target band on this batch; use a larger batch or a wider tolerance)");
    }
}
