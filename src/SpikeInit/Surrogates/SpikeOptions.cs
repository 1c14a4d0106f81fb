namespace SpikeInit.Surrogates;

/// <summary>When a neuron fires, given its centered membrane x = u − θ.</summary>
public enum SpikeCondition
{
    /// <summary>Fire when u &gt; θ (H(0) = 0): Micheli, Ding, stork, Herranz-Celotti, snnTorch. The default.</summary>
    Greater,
    /// <summary>Fire when u ≥ θ (H(0) = 1): SpikingJelly.</summary>
    GreaterOrEqual,
}

/// <summary>How spikes are produced and how the reset takes part in the gradient.</summary>
/// <param name="Condition">Strict (<c>u &gt; θ</c>, default) or non-strict (<c>u ≥ θ</c>) firing.</param>
/// <param name="DetachReset">When true, the spike in the reset term is treated as a constant by autograd
/// (stork's <c>diff_reset=False</c>, Herranz-Celotti's stop-gradient); when false, gradient flows through it.</param>
/// <param name="SmoothForward">Diagnostic relaxation: the forward pass emits the surrogate's smooth primitive
/// instead of the Heaviside step, so that backward is the exact gradient of the forward network
/// (used to verify gradients with finite differences). Never used for real spiking runs.</param>
public sealed record SpikeOptions(
    SpikeCondition Condition = SpikeCondition.Greater,
    bool DetachReset = false,
    bool SmoothForward = false)
{
    /// <summary>Defaults: strict condition, reset in the graph, Heaviside forward.</summary>
    public static SpikeOptions Default { get; } = new();
}
