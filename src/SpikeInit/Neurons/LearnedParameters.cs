using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// The per-neuron leak and threshold a block trains when its LIF or ALIF neurons learn them (Herranz-Celotti &amp; Rouat
/// make α and ϑ trainable per neuron; docs/THEORY.md §S10), bound to the model for one run by the block that owns the
/// tensors (<see cref="Neuron.Learned"/>). Parametrization: <c>α_i = sigmoid(λ_i)</c>, so the leak stays in (0, 1) for
/// every value an optimizer gives the unconstrained <c>λ_i</c>; <c>ϑ_i</c> is trained directly, as in the paper, and
/// enters the kernel as <c>max(ϑ_i, 1e-6)</c> so that a step can never make it non-positive.
/// </summary>
/// <param name="LeakLogit">λ <c>[units]</c>, the logit of the leak.</param>
/// <param name="RawThreshold">ϑ <c>[units]</c> as trained.</param>
public sealed record LearnedParameters(Tensor LeakLogit, Tensor RawThreshold)
{
    /// <summary>The smallest threshold the kernel uses.</summary>
    public const double MinThreshold = 1e-6;

    /// <summary>The leak α = sigmoid(λ) ∈ (0, 1).</summary>
    public Tensor Leak => LeakLogit.sigmoid();

    /// <summary>The threshold max(ϑ, 1e-6).</summary>
    public Tensor Threshold => RawThreshold.ClampMin(MinThreshold);

    /// <summary>
    /// The logit λ = ln(β/(1 − β)) whose sigmoid is the leak <paramref name="beta"/>, with β clamped into [1e-6, 1 − 1e-6]
    /// (a leak of exactly 0 or 1 has no finite logit).
    /// </summary>
    public static double Logit(double beta)
    {
        double b = Math.Clamp(beta, 1e-6, 1 - 1e-6);
        return Math.Log(b / (1 - b));
    }
}
