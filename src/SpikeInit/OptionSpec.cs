namespace SpikeInit;

/// <summary>
/// One user-settable option of a registry entry (a neuron model, an initialization method): its kebab-case name (the
/// command line shows it as <c>--name</c>), what it means with unit and range, and its default as text (null: unset).
/// The command line builds its options and help from these; <see cref="Settings"/> carries the values.
/// </summary>
/// <param name="Name">Kebab-case name, e.g. <c>tau-mem</c>.</param>
/// <param name="Description">Meaning, unit and valid range.</param>
/// <param name="Default">Default value as text, or null when the option has none.</param>
/// <param name="Flag">A switch without a value (<c>--name</c> alone means "true").</param>
public sealed record OptionSpec(string Name, string Description, string? Default = null, bool Flag = false);
