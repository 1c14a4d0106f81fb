using System.CommandLine;

namespace SpikeInit.Cli;

/// <summary>
/// Command-line options made from registry <see cref="OptionSpec"/>s (neuron models, initialization methods): each becomes
/// <c>--name</c> taking text, with its description and default in the help; the values the user gave are read back as
/// <see cref="Settings"/> (defaults are the registry's, filled in by the library).
/// </summary>
internal sealed class RegistryOptions
{
    private readonly List<Option> options = [];

    /// <summary>Adds one option per spec (first spec of a name wins) to <paramref name="command"/>.</summary>
    public static RegistryOptions AddTo(Command command, IEnumerable<OptionSpec> specs)
    {
        var result = new RegistryOptions();
        foreach (OptionSpec spec in specs.DistinctBy(s => s.Name))
        {
            string help = spec.Description + (spec.Default is { } d ? $" Default: {d}." : "");
            Option option = spec.Flag ? new Option<bool>("--" + spec.Name) { Description = help } : new Option<string?>("--" + spec.Name) { Description = help };
            result.options.Add(option);
            command.Options.Add(option);
        }
        return result;
    }

    /// <summary>The values given on the command line.</summary>
    public Settings Values(ParseResult parse) =>
        new(options.Select(o => new KeyValuePair<string, string?>(o.Name.TrimStart('-'), o switch
        {
            Option<bool> flag => parse.GetValue(flag) ? "true" : null,
            Option<string?> text => parse.GetValue(text),
            _ => null,
        })));
}
