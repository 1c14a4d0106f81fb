namespace SpikeInit.Initialization;

/// <summary>
/// An initialization method in the registry (<see cref="Initializers.All"/>): name, aliases, where it comes from, which
/// options of <see cref="InitOptions"/> it reads, whether it sets biases, and its factory.
/// </summary>
/// <param name="Name">Kebab-case name, e.g. <c>kaiming-uniform</c>.</param>
/// <param name="Source">Paper or origin, one line.</param>
/// <param name="Reads">Names of the <see cref="InitOptions.Specs"/> the method uses.</param>
/// <param name="SetsBias">Whether the method sets a non-zero bias (the network then needs bias terms).</param>
/// <param name="Create">Builds the method from the options.</param>
/// <param name="Aliases">Other accepted names.</param>
/// <param name="Neuron">The <see cref="Neurons.NeuronModels"/> name of the neuron the method's paper derives it for, when that is
/// not the discrete LIF (<c>asymptote</c>: klambda; <c>fluctuation</c>: cuba-lif); null: none in particular.</param>
public sealed record InitializerInfo(string Name, string Source, IReadOnlyList<string> Reads, bool SetsBias,
                                     Func<InitOptions, Initializer> Create, IReadOnlyList<string>? Aliases = null, string? Neuron = null)
{
    /// <summary>Whether <paramref name="name"/> is this method's name or an alias.</summary>
    public bool Matches(string name) =>
        Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase) || (Aliases ?? []).Any(a => a.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}
