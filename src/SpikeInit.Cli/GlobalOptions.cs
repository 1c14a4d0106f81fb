using System.CommandLine;
using Spectre.Console;
using SpikeInit.IO;
using SpikeInit.Runtime;

namespace SpikeInit.Cli;

/// <summary>
/// Options every command accepts, and the one wrapper through which every command runs: it applies the runtime
/// settings once, then turns user errors into one clear line and a non-zero exit code.
/// </summary>
internal sealed class GlobalOptions(IAnsiConsole console)
{
    /// <summary>Exit code for invalid input or a failed job.</summary>
    public const int UserError = 2;

    public Option<long> Seed { get; } = new("--seed")
    {
        Description = "Seed of every random draw (weights, inputs); runs with the same seed are identical.",
        DefaultValueFactory = _ => 42,
        Recursive = true,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Intra-op CPU threads (0 = all cores).",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Seed);
        root.Options.Add(Threads);
    }

    /// <summary>Sets <paramref name="body"/> as the command's action, inside the shared set-up and error handling.</summary>
    public void SetAction(Command command, Func<ParseResult, RunContext, int> body)
    {
        command.SetAction(parse =>
        {
            try
            {
                TorchRuntime.Configure(Validate.AtLeast(parse.GetValue(Threads), "threads", 0));
                return body(parse, new RunContext(parse.GetValue(Seed), console));
            }
            catch (Exception e) when (IsUserError(e))
            {
                parse.InvocationConfiguration.Error.WriteLine("error: " + Message(e));
                return UserError;
            }
        });
    }

    private static bool IsUserError(Exception e) =>
        e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException;

    /// <summary>The message without .NET's appended "(Parameter 'x')" and "Actual value" lines.</summary>
    private static string Message(Exception e)
    {
        string m = e.Message;
        int cut = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0) m = m[..cut];
        int line = m.IndexOf('\n', StringComparison.Ordinal);
        return line >= 0 ? m[..line].TrimEnd() : m;
    }
}

/// <summary>What a command receives besides its own options.</summary>
/// <param name="Seed">The global seed.</param>
/// <param name="Console">Where to write (tests substitute a recording console).</param>
internal sealed record RunContext(long Seed, IAnsiConsole Console)
{
    /// <summary>Prints a report's table.</summary>
    public void Show(TextTable table) =>
        Console.Write(table.Rows.Aggregate(new Table().AddColumns([.. table.Columns.Select(Markup.Escape)]), (t, row) => t.AddRow([.. row.Select(Markup.Escape)])));
}
