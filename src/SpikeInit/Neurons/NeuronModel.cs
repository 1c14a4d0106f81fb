namespace SpikeInit.Neurons;

/// <summary>
/// A neuron model in the registry (<see cref="NeuronModels"/>): its name (also its <c>model</c> tag in <c>model.json</c>),
/// CLR type, description, the options that configure it and a factory from their values.
/// </summary>
/// <param name="Name">Kebab-case name, e.g. <c>cuba-lif</c>.</param>
/// <param name="Type">The <see cref="Neuron"/> subtype.</param>
/// <param name="Description">One line: what it is and whose it is.</param>
/// <param name="Options">The options <paramref name="Create"/> reads.</param>
/// <param name="Create">Builds the model from settings (defaults from <paramref name="Options"/> filled in).</param>
/// <param name="Aliases">Other accepted names.</param>
public sealed record NeuronModel(string Name, Type Type, string Description, IReadOnlyList<OptionSpec> Options,
                                 Func<Settings, Neuron> Create, IReadOnlyList<string>? Aliases = null)
{
    /// <summary>Builds the model; options not given take their defaults.</summary>
    public Neuron Build(Settings? settings = null) => Create((settings ?? Settings.Empty).WithDefaults(Options));

    /// <summary>Whether <paramref name="name"/> is this model's name or one of its aliases.</summary>
    public bool Matches(string name) =>
        Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase) || (Aliases ?? []).Any(a => a.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}
