using System.Text.Json.Serialization;

namespace SpikeInit.Networks;

/// <summary>
/// The architecture of a spiking network: per-sample input shape, layers in order, readout. Pure data: it is what
/// <see cref="ModelStore"/> writes as JSON beside the weights, and what <see cref="SpikingNetwork.Create"/> builds.
/// </summary>
public sealed record NetworkSpec(long[] InputShape, IReadOnlyList<LayerSpec> Layers, Readout Readout = Readout.SpikeCount)
{
    /// <summary>
    /// Where the membranes start each run (<see cref="Networks.InitialMembrane"/>); null: every block from rest (the
    /// default, and then not written to <c>model.json</c>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InitialMembrane? InitialMembrane { get; init; }

    /// <summary>
    /// Skip connections from every hidden layer to the readout (Rossbroich et al.): the last layer, which must be dense,
    /// receives the concatenated (flattened) outputs of every hidden layer with a connection — dense, conv2d or recurrent,
    /// not the encoder — so its current is the sum of one linear map per hidden layer, and its fan-in is the sum of their
    /// sizes. False (the default, not written): it receives the layer before it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SkipReadout { get; init; }

    /// <summary>
    /// The same network whose spiking dense and recurrent layers learn their neurons' leak and threshold per neuron
    /// (<see cref="Neurons.Neuron.WithLearnedLeakAndThreshold"/>; layers whose model has none keep theirs, and so does a
    /// membrane readout, whose threshold never acts); an error when no layer can.
    /// </summary>
    public NetworkSpec WithLearnedNeurons()
    {
        LayerSpec[] layers = [.. Layers.Select(l => l switch
        {
            DenseLayer d when d.Output == SpikeInit.Layers.BlockOutput.Spikes && d.Neuron.WithLearnedLeakAndThreshold() is { } n => d with { Neuron = n },
            RecurrentLayer r when r.Neuron.WithLearnedLeakAndThreshold() is { } n => r with { Neuron = n },
            _ => l,
        })];
        if (layers.SequenceEqual(Layers))
            throw new ArgumentException("learn-neuron: this network has no dense or recurrent layer of LIF or ALIF neurons whose leak and threshold could be learned");
        return this with { Layers = layers };
    }

    /// <summary>Starts a fluent builder for a network with the given per-sample input shape.</summary>
    public static NetworkBuilder Builder(params long[] inputShape) => new(inputShape);
}
