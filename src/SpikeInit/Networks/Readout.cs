namespace SpikeInit.Networks;

/// <summary>How the network's last output sequence <c>[T, B, ...]</c> becomes its result.</summary>
public enum Readout
{
    /// <summary>Sum over time (spike counts, Micheli and Ding; logits for cross-entropy).</summary>
    SpikeCount,
    /// <summary>Maximum over time (stork's max-over-time readout membrane).</summary>
    MaxOverTime,
    /// <summary>Mean over time (Herranz-Celotti's "mode" readout).</summary>
    MeanOverTime,
    /// <summary>The last time step.</summary>
    LastStep,
    /// <summary>The whole sequence, unreduced.</summary>
    Sequence,
}
