using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Spectre.Console;
using SpikeInit.Cli.Commands;

namespace SpikeInit.Cli;

/// <summary>Composes the command line: global options plus one factory per command, all plugged in the same way.</summary>
internal static class CliApp
{
    /// <summary>
    /// The root command <c>spikeinit</c>; <paramref name="console"/> replaces standard output and <paramref name="progress"/>
    /// standard error (tests record output with them). Piped output is not wrapped (tables keep their full width).
    /// </summary>
    public static Command CreateRoot(IAnsiConsole? console = null, IAnsiConsole? progress = null)
    {
        if (console is null && System.Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 100_000;
        progress ??= console ?? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        var globals = new GlobalOptions(console ?? AnsiConsole.Console, progress);
        var root = new Command("spikeinit", "SpikeInit: build, initialize, diagnose and train deep spiking neural networks.") { new HelpOption(), new VersionOption() };
        globals.AddTo(root);
        Func<GlobalOptions, Command>[] commands =
        [
            InfoCommand.Create, DemoCommand.Create, InitCommand.Create, ProbeCommand.Create, DataCommand.Create,
            TrainCommand.Create, TrainCommand.CreateCompare, TrainCommand.CreateCalibrate, TrainCommand.CreateDiagnose, BenchCommand.Create, SweepCommand.Create,
            NirCommand.CreateExport, NirCommand.CreateImport,
        ];
        foreach (var create in commands) root.Subcommands.Add(create(globals));
        foreach (Option o in root.Subcommands.SelectMany(c => c.Options.Concat(c.Subcommands.SelectMany(s => s.Options))))   // numbers invariantly
            if (o is Option<double> d) d.CustomParser = r => Settings.TryParseNumber(r.Tokens.Single().Value) ?? Invalid(r);
            else if (o is Option<double?> n) n.CustomParser = r => Settings.TryParseNumber(r.Tokens.Single().Value) ?? Invalid(r);
        return root;
    }

    /// <summary>Runs a parsed command line; a parse error is one <c>error:</c> line naming the option (exit 2), no help dump.</summary>
    public static int Invoke(ParseResult parse)
    {
        if (parse.Errors.Count == 0) return parse.Invoke();
        parse.InvocationConfiguration.Error.WriteLine($"error: {Describe(parse.Errors[0], parse.CommandResult.Command)} (see {Path(parse.CommandResult)} --help)");
        return GlobalOptions.UserError;
    }

    private static double Invalid(ArgumentResult r) { r.AddError("not a number"); return 0; }

    private static string Path(CommandResult c) => c.Parent is CommandResult p ? Path(p) + " " + c.Command.Name : c.Command.Name;

    internal static string Describe(ParseError error, Command command)
    {
        if ((error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult) is { } o)
        {
            Type t = Nullable.GetUnderlyingType(o.Option.ValueType) ?? o.Option.ValueType;
            string expected = t == typeof(int) || t == typeof(long) ? "an integer" : t == typeof(double) ? "a number" : t == typeof(bool) ? "true or false" : "a value";
            return o.Tokens.Count == 0 ? $"{o.Option.Name} needs {expected}" : $"{o.Option.Name} = '{string.Join(" ", o.Tokens.Select(k => k.Value))}' is not {expected}";
        }
        if (error.Message.Split('\'') is [_, string token, ..] && token.StartsWith('-'))
        {
            var names = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(x => x.Recursive)))
                              .Select(x => x.Name);
            return $"unknown option {token}" + (Suggestions.Near(token, names) is { Count: > 0 } near ? $"; did you mean {string.Join(" or ", near)}?" : "");
        }
        return error.Message.TrimEnd('.');
    }
}
