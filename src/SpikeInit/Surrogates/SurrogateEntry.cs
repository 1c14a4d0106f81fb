namespace SpikeInit.Surrogates;

/// <summary>A scale parameter of a registered surrogate: its name for people and how to read and set it.</summary>
/// <param name="Name">Name on the command line (e.g. <c>alpha</c>).</param>
/// <param name="Description">What it scales.</param>
/// <param name="Get">Its value in a surrogate of the entry.</param>
/// <param name="With">A copy of a surrogate of the entry with the parameter set (validated by the surrogate).</param>
public sealed record SurrogateParameter(string Name, string Description, Func<Surrogate, double> Get, Func<Surrogate, double, Surrogate> With);

/// <summary>
/// A surrogate people can name (<see cref="SurrogateRegistry"/>): its name and aliases, what it is, its default form and
/// its scale parameters.
/// </summary>
/// <param name="Name">Command-line name (kebab-case).</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="Default">The surrogate with every parameter at its default.</param>
/// <param name="Parameters">The scale parameters <see cref="Create"/> accepts.</param>
/// <param name="Aliases">Other accepted names.</param>
public sealed record SurrogateEntry(string Name, string Description, Surrogate Default, IReadOnlyList<SurrogateParameter> Parameters,
                                    IReadOnlyList<string> Aliases)
{
    /// <summary>Whether <paramref name="name"/> is this entry's name or an alias (case-insensitive).</summary>
    public bool Matches(string name) =>
        Name.Equals(name, StringComparison.OrdinalIgnoreCase) || Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The surrogate with the given parameters (by name, case-insensitive) and the others at their defaults; a parameter
    /// this surrogate does not take is an <see cref="ArgumentException"/> naming the ones it does.
    /// </summary>
    public Surrogate Create(IReadOnlyDictionary<string, double>? parameters = null)
    {
        Surrogate surrogate = Default;
        foreach (var (name, value) in parameters ?? new Dictionary<string, double>())
        {
            SurrogateParameter parameter = Parameters.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"surrogate {Name} has no parameter '{name}'; it takes "
                                               + (Parameters.Count == 0 ? "none" : string.Join(", ", Parameters.Select(p => p.Name))), nameof(parameters));
            surrogate = parameter.With(surrogate, value);
        }
        return surrogate;
    }
}
