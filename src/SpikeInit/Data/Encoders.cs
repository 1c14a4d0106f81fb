using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>
/// Spike encoders: real-valued inputs <c>x [B, ...]</c> in [0, 1] (except the constant current, any real value) to
/// sequences <c>[T, B, ...]</c>. All are pure functions; stochastic ones take an explicit generator.
/// </summary>
public static class Encoders
{
    /// <summary>
    /// Constant current (Micheli et al.): the input itself is the current of the first LIF layer at every step; the
    /// network's encoder layer does the spiking. Returns <c>x</c> repeated over T steps (a view, no copy).
    /// </summary>
    public static Tensor ConstantCurrent(Tensor x, int steps)
    {
        ArgumentNullException.ThrowIfNull(x);
        Validate.AtLeast(steps, "steps", 1);
        return x.unsqueeze(0).expand([steps, .. x.shape]);
    }

    /// <summary>
    /// Poisson (Bernoulli) rate coding: at each step a spike with probability <c>gain·x</c> (x ∈ [0, 1], gain ∈ (0, 1]).
    /// </summary>
    public static Tensor Poisson(Tensor x, int steps, Generator? generator = null, double gain = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        Validate.AtLeast(steps, "steps", 1);
        Validate.InRange(gain, "gain", 0, 1, lowOpen: true);
        Tensor p = x.Clamp(0, 1).Times(gain).unsqueeze(0).expand([steps, .. x.shape]);
        return rand(p.shape, dtype: x.dtype, generator: generator).lt(p).to(x.dtype);
    }

    /// <summary>
    /// Latency coding (Zenke &amp; Vogels 2021, as Herranz-Celotti &amp; Rouat's sl-MNIST): one spike at step
    /// <c>round(τ_eff·ln(x/(x − ϑ)))</c> if x &gt; ϑ, none otherwise (brighter pixels fire earlier); spikes after the last step
    /// are dropped. Defaults τ_eff = 50 steps, ϑ = 0.2 (their code), T = 100.
    /// </summary>
    public static Tensor Latency(Tensor x, int steps = 100, double tauEff = 50, double threshold = 0.2)
    {
        ArgumentNullException.ThrowIfNull(x);
        Validate.AtLeast(steps, "steps", 1);
        Validate.Positive(tauEff, "tau_eff");
        Validate.InRange(threshold, "threshold", 0, 1, highOpen: true);
        Tensor v = x.Clamp(0, 1).to(ScalarType.Float64);
        Tensor above = v.GreaterThan(threshold);
        Tensor time = (v / v.Minus(threshold).ClampMin(1e-12)).log().Times(tauEff);
        Tensor step = time.round().Clamp(0, steps);   // == steps: later than the window
        Tensor fire = above.logical_and(step.LessThan(steps));
        Tensor index = step.where(fire, zeros_like(step)).to(ScalarType.Int64);
        Tensor grid = Arange(0, steps, ScalarType.Int64).view([steps, .. Enumerable.Repeat(1L, (int)x.dim())]);
        return grid.eq(index.unsqueeze(0)).logical_and(fire.unsqueeze(0)).to(x.dtype);
    }

    /// <summary>
    /// Retina-like integrate-and-fire coding (after Zhu et al. 2019, used by Ding et al.): bipolar-cell ON and OFF
    /// channels integrate <c>x</c> and <c>1 − x</c> per step, <c>v_t = v_{t−1} + c</c>, fire when <c>v_t ≥ 1</c> and
    /// subtract 1, so a pixel of intensity x emits ⌊t·x⌋ ON spikes by step t, regularly spaced. Output
    /// <c>[T, B, 2, ...]</c> (channel 0 = ON, 1 = OFF), inserted after the batch dimension.
    /// </summary>
    public static Tensor Retina(Tensor x, int steps)
    {
        ArgumentNullException.ThrowIfNull(x);
        Validate.AtLeast(steps, "steps", 1);
        Tensor v = x.Clamp(0, 1).to(ScalarType.Float64);
        Tensor drive = stack([v, OneMinus(v)], 1);                             // [B, 2, ...]
        Tensor t = Arange(1, steps + 1, ScalarType.Float64).view([steps, .. Enumerable.Repeat(1L, (int)drive.dim())]);
        Tensor counts = (t * drive.unsqueeze(0)).Plus(1e-9).floor();             // spikes emitted up to step t
        Tensor previous = cat([zeros_like(counts[..1]), counts[..^1]], 0);
        return (counts - previous).Clamp(0, 1).to(x.dtype);
    }
}
