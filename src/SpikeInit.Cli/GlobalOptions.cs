using System.CommandLine;
using Spectre.Console;
using SpikeInit.IO;
using SpikeInit.Runtime;

namespace SpikeInit.Cli;

/// <summary>
/// Options every command accepts, and the one wrapper through which every command runs: it applies the runtime
/// settings once, then turns user errors into one clear line and a non-zero exit code.
/// </summary>
/// <param name="console">Where results go (standard output).</param>
/// <param name="progress">Where progress goes (standard error).</param>
internal sealed class GlobalOptions(IAnsiConsole console, IAnsiConsole progress)
{
    /// <summary>Exit code for invalid input or a failed job.</summary>
    public const int UserError = 2;

    public Option<long> Seed { get; } = new("--seed") { Description = "Seed of every random draw (weights, inputs); runs with the same seed are identical.", DefaultValueFactory = _ => 42, Recursive = true };

    public Option<int> Threads { get; } = new("--threads") { Description = $"Intra-op CPU threads, 1 to the {Environment.ProcessorCount} logical cores (0 = all cores).", DefaultValueFactory = _ => 0, Recursive = true };

    public Option<bool> Quiet { get; } = new("--quiet") { Description = "Print results only: no progress, no notes.", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print results as JSON, one object per line (no progress, no notes).", Recursive = true };

    public Option<string?> MaxMemory { get; } = new("--max-memory") { Description = $"Memory budget, e.g. 512M or 4G: jobs whose shapes need more are refused before they start (default half the available memory, {MemoryBudget.Describe(MemoryBudget.Default)}).", Recursive = true };

    public void AddTo(Command root)
    {
        foreach (Option o in (Option[])[Seed, Threads, Quiet, Json, MaxMemory]) root.Options.Add(o);
    }

    /// <summary>Sets <paramref name="body"/> as the command's action, inside the shared set-up and error handling.</summary>
    public void SetAction(Command command, Func<ParseResult, RunContext, int> body)
    {
        command.SetAction(parse =>
        {
            try
            {
                int threads = Validate.AtLeast(parse.GetValue(Threads), "threads", 0);
                TorchRuntime.Configure(threads <= Environment.ProcessorCount ? threads
                    : throw new ArgumentException($"threads = {threads} is more than the {Environment.ProcessorCount} logical cores of this machine (0 = all cores)"));
                MemoryBudget.Bytes = parse.GetValue(MaxMemory) is { } budget ? MemoryBudget.Parse(budget) : MemoryBudget.Default;
                bool json = parse.GetValue(Json);
                return body(parse, new RunContext(parse.GetValue(Seed), console, json || parse.GetValue(Quiet) ? null : progress, json));
            }
            catch (Exception e)                                 // a user's error is one line; a bug shows its trace
            {
                string? message = UserErrors.Describe(e);
                parse.InvocationConfiguration.Error.WriteLine(message is null ? $"{e}\nerror: internal error (a bug, not your input): please report it with the command line and the trace above" : "error: " + message);
                return message is null ? 70 : UserError;
            }
        });
    }
}

/// <summary>What a command receives besides its own options.</summary>
/// <param name="Seed">The global seed.</param>
/// <param name="Console">Where results go (tests substitute a recording console).</param>
/// <param name="Progress">Where progress and notes go (null: <c>--quiet</c> or <c>--json</c>).</param>
/// <param name="Json">Results as JSON lines (<c>--json</c>).</param>
internal sealed record RunContext(long Seed, IAnsiConsole Console, IAnsiConsole? Progress = null, bool Json = false)
{
    /// <summary>Prints a report's table (as one JSON object per row with <c>--json</c>).</summary>
    public void Show(TextTable table)
    {
        if (Json) foreach (string line in table.JsonLines()) Line(line);
        else Console.Write(table.Rows.Aggregate(new Table().AddColumns([.. table.Columns.Select(Markup.Escape)]), (t, row) => t.AddRow([.. row.Select(Markup.Escape)])));
    }

    /// <summary>Prints a result line as it is (no markup, no wrapping).</summary>
    public void Line(string text) => Console.Profile.Out.Writer.WriteLine(text);

    /// <summary>Prints a result line unless <c>--json</c>.</summary>
    public void Say(string text)
    {
        if (!Json) Console.MarkupLine(Markup.Escape(text));
    }

    /// <summary>Prints a note (what was chosen, where files went) to standard error, unless <c>--quiet</c> or <c>--json</c>.</summary>
    public void Note(string text) => Progress?.MarkupLine(Markup.Escape(text));
}
