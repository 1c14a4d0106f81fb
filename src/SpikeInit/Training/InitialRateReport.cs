using System.Text.Json.Nodes;

namespace SpikeInit.Training;

/// <summary>The outcome of the initial-rate pre-training (<see cref="InitialRatePhase"/>).</summary>
/// <param name="Target">The target firing probability per step of every hidden layer.</param>
/// <param name="Before">Each hidden layer's firing rate (spikes per neuron and step) on the first training batch, before.</param>
/// <param name="After">The same on the same batch, after.</param>
/// <param name="Batches">Batches trained.</param>
/// <param name="Parameters">How many parameter tensors were trained (biases, learned thresholds).</param>
public sealed record InitialRateReport(double Target, IReadOnlyList<double> Before, IReadOnlyList<double> After, int Batches, int Parameters)
{
    /// <summary>The record as <c>summary.json</c> and <c>run.json</c> hold it.</summary>
    public JsonObject ToJson() => new()
    {
        ["target"] = Target,
        ["before"] = new JsonArray([.. Before.Select(r => (JsonNode?)Math.Round(r, 6))]),
        ["after"] = new JsonArray([.. After.Select(r => (JsonNode?)Math.Round(r, 6))]),
        ["batches"] = Batches,
        ["parameters"] = Parameters,
    };
}
