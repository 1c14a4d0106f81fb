using System.CommandLine;
using Spectre.Console;
using SpikeInit.Cli.Commands;

namespace SpikeInit.Cli;

/// <summary>Composes the command line: global options plus one factory per command, all plugged in the same way.</summary>
internal static class CliApp
{
    /// <summary>The root command; <paramref name="console"/> replaces the terminal (tests record output with it).</summary>
    public static RootCommand CreateRoot(IAnsiConsole? console = null)
    {
        var globals = new GlobalOptions(console ?? AnsiConsole.Console);
        var root = new RootCommand("SpikeInit: build, initialize, diagnose and train deep spiking neural networks.");
        globals.AddTo(root);
        Func<GlobalOptions, Command>[] commands =
        [
            InfoCommand.Create, DemoCommand.Create, InitCommand.Create, ProbeCommand.Create, DataCommand.Create,
            TrainCommand.Create, TrainCommand.CreateCompare, TrainCommand.CreateCalibrate, TrainCommand.CreateDiagnose, BenchCommand.Create,
        ];
        foreach (var create in commands) root.Subcommands.Add(create(globals));
        return root;
    }
}
