using System.Globalization;

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
    /// Copies of the parameters a training run keeps (weights, gradients, two optimizer moments), and of the activity
    /// (spikes, membrane, synaptic current, and what autograd keeps for the backward pass).
    /// </summary>
    private const double ParameterCopies = 4, ActivityCopies = 6;

    /// <summary>Parameters and per-sample, per-step activity (elements); shapes that no layer could build count as 1.</summary>
    public static (double Parameters, double Activity) Elements(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(spec.InputShape);
        ArgumentNullException.ThrowIfNull(spec.Layers);
        double[] shape = [.. spec.InputShape.Select(d => (double)Math.Max(d, 1))];
        double parameters = 0, activity = Product(shape), hidden = 0;   // hidden: what a skip readout receives
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (spec.SkipReadout && i == spec.Layers.Count - 1) shape = [Math.Max(hidden, 1)];
            double inputs = Product(shape);
            switch (layer)
            {
                case DenseLayer d:
                    parameters += (inputs + 1) * d.Units;
                    shape = [Math.Max(d.Units, 1)];
                    break;
                case RecurrentLayer r:
                    parameters += (inputs + r.Units + 1) * r.Units;
                    shape = [Math.Max(r.Units, 1)];
                    break;
                case ConvLayer c when shape.Length == 3:
                    parameters += (shape[0] * c.Kernel * c.Kernel + 1) * c.Channels;
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
                    activity += (double)e.Excitatory + e.Inhibitory;   // the I population besides the E output
                    shape = [Math.Max(e.Excitatory, 1)];
                    break;
                case SlstmLayer s:
                    parameters += 4.0 * (inputs + s.Units + 1) * s.Units;
                    activity += 5.0 * s.Units;   // the four gates and the cell state besides the output
                    shape = [Math.Max(s.Units, 1)];
                    break;
                case RecurrentConv1dLayer c when shape.Length is 1 or 2:
                    double channels = shape.Length == 1 ? 1 : shape[0];
                    parameters += (channels * c.Kernel + (double)c.Channels * c.RecurrentKernel + 1) * c.Channels;
                    shape = [Math.Max(c.Channels, 1), Out(shape[^1], c.Kernel, c.Stride, c.Padding)];
                    break;
            }
            activity += Product(shape);
            if (layer is DenseLayer or RecurrentLayer or ConvLayer) hidden += Product(shape);
        }
        return (parameters, activity);
    }

    /// <summary>
    /// Requires that the network of <paramref name="spec"/>, run on <paramref name="batch"/> samples for
    /// <paramref name="steps"/> steps (0 and 0: only built), fit the <see cref="MemoryBudget"/>; the error names
    /// <paramref name="what"/> and the sizes.
    /// </summary>
    public static void Require(NetworkSpec spec, long batch, long steps, string what)
    {
        var (parameters, activity) = Elements(spec);
        double bytes = Element * (ParameterCopies * parameters + ActivityCopies * Math.Max(batch, 0) * (double)Math.Max(steps, 0) * activity);
        MemoryBudget.Require(bytes, string.Create(CultureInfo.InvariantCulture,
            $"{what} ({parameters:G4} parameters{(batch > 0 ? $", batch {batch} x {steps} steps x {activity:G4} activities per sample and step" : "")})"));
    }

    private static double Out(double size, int kernel, int stride, int padding) =>
        Math.Max(Math.Floor((size + 2.0 * padding - kernel) / Math.Max(stride, 1)) + 1, 1);

    private static double Product(double[] shape) => shape.Aggregate(1.0, (a, b) => a * b);
}
