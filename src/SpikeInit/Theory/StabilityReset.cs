namespace SpikeInit.Theory;

/// <summary>The three LIF resets of Herranz-Celotti &amp; Rouat (docs/THEORY.md §S1.2).</summary>
public enum StabilityReset
{
    /// <summary>Minus-reset <c>v_t = α v_{t−1} + I_t − ϑ x_{t−1}</c> (LIF reset <c>SubtractNextStep</c>).</summary>
    Minus,
    /// <summary>Pre-reset <c>v_t = α v_{t−1}(1 − x_{t−1}) + I_t</c> (<c>ZeroBeforeDecay</c>).</summary>
    Pre,
    /// <summary>Post-reset <c>v_t = (α v_{t−1} + I_t)(1 − x_{t−1})</c> (<c>ZeroAfterInput</c>).</summary>
    Post,
}
