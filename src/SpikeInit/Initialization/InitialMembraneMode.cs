namespace SpikeInit.Initialization;

/// <summary>Where <see cref="NetworkInitializer.Initialize"/> lets the membranes start each run.</summary>
public enum InitialMembraneMode
{
    /// <summary>At rest (the neurons' <c>InitialState</c>, u = 0): the default.</summary>
    Rest,
    /// <summary>
    /// From the predicted stationary membrane distribution of each LIF-family layer, N(μ_U, σ_U²) of the mean field over
    /// time (docs/THEORY.md §L5–L6; Kook et al. 2025, "MP-Init"), so a short sequence does not spend its first steps in
    /// the transient from rest. Layers without a stationary prediction (current-based neurons, recurrent layers of
    /// methods without a self-consistent rate) start from rest, with a note.
    /// </summary>
    Stationary,
}
