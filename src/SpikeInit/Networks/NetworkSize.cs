using System.Globalization;
using SpikeInit.Layers;
using SpikeInit.Neurons;

namespace SpikeInit.Networks;

/// <summary>
/// The size of a <see cref="NetworkSpec"/> from its shapes alone, before any tensor is made: parameters and per-sample,
/// per-step activity of every layer. Checked against the <see cref="MemoryBudget"/> so that a width of a million, a
/// depth of 20 000 or a batch of 2³¹ is refused with one clear error instead of an allocation failure.
/// </summary>
public static class NetworkSize
{
    /// <summary>Bytes per element of the float32 tensors a run holds.</summary>
    private const double Element = 4;

    /// <summary>
    /// Copies of the parameters a training run keeps (weights, gradients, two optimizer moments), and of the activity of a
    /// fused layer (spikes, membrane, synaptic current, and what autograd keeps for the backward pass).
    /// </summary>
    private const double ParameterCopies = 4, ActivityCopies = 6;

    /// <summary>
    /// Bytes per neuron-step of a layer that runs the step loop (<see cref="Neuron.Steps"/>): a part kept whatever the
    /// chunk (currents, spikes, their gradients, the chunk states), and the autograd graph of the steps, kept for all T
    /// steps without time checkpointing and for one chunk of C steps with it (a fraction C / T). Measured with
    /// <c>/usr/bin/time -v spikeinit train --arch rossbroich-csnn --max-batches 2 --epochs 1 --batch B [--time-chunk sqrt]</c>
    /// (randman-700, T = 100, 2 080 hidden neurons, float32): peak resident memory 4.15 GB at B = 50 and 9.27 GB at B = 100
    /// without checkpointing (≈ 400 bytes per hidden neuron-step above the ≈ 1 GB the process holds besides), 1.75 GB and
    /// 2.48 GB with chunks of √T = 10 steps (71 bytes per neuron-step): 400 = kept + graph, 71 = kept + graph / 10.
    /// </summary>
    private const double LoopKept = 34, LoopGraph = 366;

    /// <summary>Parameters and per-sample, per-step activity (elements); shapes that no layer could build count as 1.</summary>
    public static (double Parameters, double Activity) Elements(NetworkSpec spec)
    {
        var (parameters, layers) = Layers(spec);
        return (parameters, layers.Sum(l => l.Activity));
    }

    /// <summary>
    /// Bytes per sample and step of a training run over <paramref name="steps"/> steps: each layer's activity at the cost of
    /// a fused layer or of the step loop under its neurons' <see cref="Neuron.TimeChunk"/>.
    /// </summary>
    public static double ActivityBytes(NetworkSpec spec, long steps)
    {
        var (_, layers) = Layers(spec);
        return layers.Sum(l => l.Activity * (l.Loop is { } neuron ? LoopBytes(neuron.TimeChunk, steps) : Element * ActivityCopies));
    }

    /// <summary>Bytes per neuron-step of a step-looped layer over <paramref name="steps"/> steps under time chunk <paramref name="chunk"/>.</summary>
    private static double LoopBytes(int chunk, long steps)
    {
        int t = (int)Math.Clamp(steps, 1, int.MaxValue), c = SequenceCheckpoint.Steps(chunk, t);
        return LoopKept + LoopGraph * (c == 0 ? 1.0 : (double)c / t);
    }

    /// <summary>Whether a layer of <paramref name="neuron"/> runs the step loop rather than a fused kernel (<paramref name="recurrent"/>: with a recurrent matrix).</summary>
    private static bool Steps(Neuron neuron, bool recurrent, NormSpec? norm) =>
        !neuron.FastPath || neuron.LearnsLeakAndThreshold || norm is { Kind: NormKind.Mpbn }
        || !(recurrent ? neuron is LifNeuron or KLambdaNeuron : neuron is LifNeuron or KLambdaNeuron or CubaLifNeuron or CubaExcInhNeuron);

    /// <summary>Parameters, and per layer its per-sample, per-step activity and, when it runs the step loop, its neurons.</summary>
    private static (double Parameters, List<(double Activity, Neuron? Loop)> Layers) Layers(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(spec.InputShape);
        ArgumentNullException.ThrowIfNull(spec.Layers);
        double[] shape = [.. spec.InputShape.Select(d => (double)Math.Max(d, 1))];
        double parameters = 0, hidden = 0;   // hidden: what a skip readout receives
        var layers = new List<(double Activity, Neuron? Loop)> { (Product(shape), null) };
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (spec.SkipReadout && i == spec.Layers.Count - 1) shape = [Math.Max(hidden, 1)];
            double inputs = Product(shape), extra = 0;
            Neuron? loop = null;
            switch (layer)
            {
                case DenseLayer d:
                    parameters += (inputs + 1) * d.Units;
                    loop = Steps(d.Neuron, false, d.Norm) ? d.Neuron : null;
                    shape = [Math.Max(d.Units, 1)];
                    break;
                case RecurrentLayer r:
                    parameters += (inputs + r.Units + 1) * r.Units;
                    loop = Steps(r.Neuron, true, null) ? r.Neuron : null;
                    shape = [Math.Max(r.Units, 1)];
                    break;
                case ConvLayer c when shape.Length == 3:
                    parameters += (shape[0] * c.Kernel * c.Kernel + 1) * c.Channels;
                    loop = Steps(c.Neuron, false, c.Norm) ? c.Neuron : null;
                    shape = [Math.Max(c.Channels, 1), Out(shape[1], c.Kernel, c.Stride, c.Padding), Out(shape[2], c.Kernel, c.Stride, c.Padding)];
                    break;
                case PoolLayer p when shape.Length == 3:
                    int stride = p.Stride == 0 ? p.Kernel : p.Stride;
                    shape = [shape[0], Out(shape[1], p.Kernel, stride, 0), Out(shape[2], p.Kernel, stride, 0)];
                    break;
                case FlattenLayer:
                    shape = [inputs];
                    break;
                case DaleLayer e:
                    parameters += ((double)e.Excitatory + e.Inhibitory) * (inputs + e.Inhibitory + (e.Recurrent ? e.Excitatory : 0));
                    extra = (double)e.Excitatory + e.Inhibitory;   // the I population besides the E output
                    loop = e.Neuron;                              // E/I with a recurrent matrix: the step loop
                    shape = [Math.Max(e.Excitatory, 1)];
                    break;
                case SlstmLayer s:
                    parameters += 4.0 * (inputs + s.Units + 1) * s.Units;
                    extra = 5.0 * s.Units;   // the four gates and the cell state besides the output
                    loop = s.Neuron;
                    shape = [Math.Max(s.Units, 1)];
                    break;
                case RecurrentConv1dLayer c when shape.Length is 1 or 2:
                    double channels = shape.Length == 1 ? 1 : shape[0];
                    parameters += (channels * c.Kernel + (double)c.Channels * c.RecurrentKernel + 1) * c.Channels;
                    loop = c.Neuron;
                    shape = [Math.Max(c.Channels, 1), Out(shape[^1], c.Kernel, c.Stride, c.Padding)];
                    break;
            }
            layers.Add((extra + Product(shape), loop));
            if (layer is DenseLayer or RecurrentLayer or ConvLayer) hidden += Product(shape);
        }
        return (parameters, layers);
    }

    /// <summary>
    /// Requires that the network of <paramref name="spec"/>, run on <paramref name="batch"/> samples for
    /// <paramref name="steps"/> steps (0 and 0: only built), fit the <see cref="MemoryBudget"/>; the error names
    /// <paramref name="what"/> and the sizes.
    /// </summary>
    public static void Require(NetworkSpec spec, long batch, long steps, string what)
    {
        var (parameters, activity) = Elements(spec);
        double bytes = Element * ParameterCopies * parameters + Math.Max(batch, 0) * (double)Math.Max(steps, 0) * ActivityBytes(spec, steps);
        bool unchunked = steps > 1 && Layers(spec).Layers.Any(l => l.Loop is { TimeChunk: 0 });
        MemoryBudget.Require(bytes, string.Create(CultureInfo.InvariantCulture,
            $"{what} ({parameters:G4} parameters{(batch > 0 ? $", batch {batch} x {steps} steps x {activity:G4} activities per sample and step" : "")}"
            + $"{(batch > 0 && unchunked ? "; layers that step in time keep every step for backward unless --time-chunk sqrt checkpoints them" : "")})"));
    }

    private static double Out(double size, int kernel, int stride, int padding) =>
        Math.Max(Math.Floor((size + 2.0 * padding - kernel) / Math.Max(stride, 1)) + 1, 1);

    private static double Product(double[] shape) => shape.Aggregate(1.0, (a, b) => a * b);
}
