using System.Text.Json.Nodes;
using SpikeInit.Layers;
using SpikeInit.Surrogates;

namespace SpikeInit.Initialization;

/// <summary>What happened to one block of a network during <see cref="NetworkInitializer.Initialize"/>.</summary>
/// <param name="Index">Block index.</param>
/// <param name="Name">Block name.</param>
/// <param name="Context">The context the method saw, with the neuron as it was before (null for blocks without weights).</param>
/// <param name="Theory">The method's prediction (null for blocks without weights).</param>
/// <param name="Output">Statistics of the block's output, passed on as the next block's input.</param>
/// <param name="Surrogate">The surrogate the method recommends for the block's neurons (null: none).</param>
/// <param name="SurrogateApplied">Whether the block's neurons now use <paramref name="Surrogate"/> (false: they kept theirs).</param>
public sealed record LayerInitialization(int Index, string Name, InitContext? Context, Prediction? Theory, InputStatistics Output,
                                         Surrogate? Surrogate = null, bool SurrogateApplied = false)
{
    /// <summary>
    /// The membrane distribution the block starts each run from (<see cref="InitialMembraneMode.Stationary"/>); null: rest.
    /// </summary>
    public MembraneDistribution? InitialMembrane { get; init; }

    /// <summary>Where the block's membranes start and why (set only when a non-rest start was asked for).</summary>
    public string? InitialMembraneNote { get; init; }

    /// <summary>The neurons' surrogate before initialization (null for blocks without weights).</summary>
    public Surrogate? PreviousSurrogate => Context?.Neuron.Surrogate;

    /// <summary>
    /// One line on the recommended surrogate, e.g. <c>layer 0: surrogate FastSigmoid(gamma=0.41, beta=2.3) applied (was
    /// FastSigmoid(gamma=1, beta=1))</c>, or that the neurons kept theirs; null when the method recommends none.
    /// </summary>
    public string? DescribeSurrogate()
    {
        if (Surrogate is null) return null;
        string was = PreviousSurrogate is { } p ? p.Name : "none";
        return SurrogateApplied
            ? $"layer {Index}: surrogate {Surrogate.Name} applied (was {was})"
            : $"layer {Index}: surrogate {Surrogate.Name} recommended, kept {was}";
    }

    /// <summary>
    /// The recommendation as JSON, <c>{layer, surrogate, applied, previous}</c> (surrogates by their names with parameters);
    /// null when the method recommends none.
    /// </summary>
    public JsonObject? SurrogateJson() => Surrogate is null
        ? null
        : new JsonObject { ["layer"] = Index, ["surrogate"] = Surrogate.Name, ["applied"] = SurrogateApplied, ["previous"] = PreviousSurrogate?.Name };
}
