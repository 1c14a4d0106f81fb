using SpikeInit.Layers;

namespace SpikeInit.Networks;

/// <summary>
/// Where a network's membranes start each run instead of rest (Kook et al. 2025, "MP-Init"): per block a
/// <see cref="MembraneDistribution"/> (null: rest; always null for blocks without neurons). Part of the
/// <see cref="NetworkSpec"/>, so <c>model.json</c> carries it and a loaded model runs the same way.
/// <para>
/// Randomness: <see cref="SpikingNetwork.Run"/> draws the start membranes from the generator it is given, or, without
/// one, from a new generator seeded with <see cref="Seed"/> on every run — so without a generator every run (every batch
/// of the same shape) starts from the same draw: deterministic, reproducible evaluation. Blocks draw in order, one
/// tensor of one step's shape <c>[B, ...]</c> each, which is what <see cref="SpikingNetwork.Step"/> draws too.
/// </para>
/// </summary>
/// <param name="Layers">One entry per block of the network.</param>
/// <param name="Seed">Seed of the draw when a run is given no generator.</param>
public sealed record InitialMembrane(IReadOnlyList<MembraneDistribution?> Layers, long Seed = 0)
{
    /// <summary>One entry per block (null: the block starts from rest).</summary>
    public IReadOnlyList<MembraneDistribution?> Layers { get; init; } = Layers ?? throw new ArgumentNullException(nameof(Layers));

    /// <summary>Whether any block starts away from rest.</summary>
    public bool Any => Layers.Any(l => l is not null);
}
