using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>
/// What one layer did over one run, per time step — the one observer behind <c>probe</c>, <c>demo</c>, <c>compare</c>,
/// <c>bench</c> and <c>diagnose</c>: firing rate (spikes per neuron and step), spikes per sample, the fraction of neurons
/// silent so far and of neurons that fired at every step so far (saturated), and the membrane's population mean, variance,
/// skewness and excess kurtosis (over batch and neurons; two-pass central moments in float64; null without membranes).
/// </summary>
/// <param name="Rate">Rate per step.</param>
/// <param name="Count">Spikes per sample per step.</param>
/// <param name="Silent">Fraction of (sample, neuron) pairs without a spike up to and including each step.</param>
/// <param name="Saturated">Fraction of (sample, neuron) pairs that spiked at every step up to each step.</param>
/// <param name="MembraneMean">Membrane mean per step.</param>
/// <param name="MembraneVariance">Membrane variance per step (population, biased).</param>
/// <param name="Skewness">Membrane skewness per step (NaN where the variance is 0).</param>
/// <param name="ExcessKurtosis">Membrane excess kurtosis per step (NaN where the variance is 0).</param>
public sealed record LayerActivity(double[] Rate, double[] Count, double[] Silent, double[] Saturated,
                                   double[]? MembraneMean, double[]? MembraneVariance, double[]? Skewness, double[]? ExcessKurtosis)
{
    /// <summary>Number of time steps.</summary>
    public int Steps => Rate.Length;

    /// <summary>Mean rate over the run.</summary>
    public double MeanRate => Rate.Average();

    /// <summary>Fraction of (sample, neuron) pairs that never spiked in the run.</summary>
    public double SilentFraction => Silent[^1];

    /// <summary>Measures a layer from its spikes <c>[T, B, ...]</c> and optionally its membranes (same shape).</summary>
    public static LayerActivity Measure(Tensor spikes, Tensor? membrane = null)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long steps = spikes.shape[0];
        Tensor s = spikes.to(ScalarType.Float64).reshape(steps, spikes.shape[1], -1);
        Tensor cumulative = s.cumsum(0);
        Tensor full = Arange(1, steps + 1, ScalarType.Float64).to(s.device).view(steps, 1, 1);
        double[]? mean = null, variance = null, skew = null, kurt = null;
        if (membrane is not null)
        {
            Tensor u = membrane.to(ScalarType.Float64).reshape(steps, -1);
            Tensor mu = u.mean([1], keepdim: true);
            Tensor d = u - mu;
            Tensor m2 = d.square().mean([1]);
            Tensor m3 = d.Pow(3).mean([1]);
            Tensor m4 = d.Pow(4).mean([1]);
            mean = Values(mu.squeeze(1));
            variance = Values(m2);
            skew = Values(m3 / m2.Pow(1.5));
            kurt = Values((m4 / m2.square()).Minus(3));
        }
        return new LayerActivity(Values(s.mean([1, 2])), Values(s.sum(dim: 2).mean([1])),
                                 Values(cumulative.LessThan(0.5).to(ScalarType.Float64).mean([1, 2])),
                                 Values(cumulative.eq(full).to(ScalarType.Float64).mean([1, 2])), mean, variance, skew, kurt);
    }

    private static double[] Values(Tensor t) => t.cpu().contiguous().data<double>().ToArray();   // read on the host, whatever the device
}
