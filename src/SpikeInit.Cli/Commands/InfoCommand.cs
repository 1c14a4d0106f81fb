using System.CommandLine;
using Spectre.Console;
using SpikeInit.Runtime;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit info</c>: versions and runtime settings.</summary>
internal static class InfoCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("info", "Print SpikeInit, TorchSharp and libtorch versions, threads and CUDA availability.");
        globals.SetAction(command, (_, ctx) =>
        {
            var table = new Table().AddColumn("item").AddColumn("value");
            foreach (var (item, value) in TorchRuntime.Describe().Rows()) table.AddRow(Markup.Escape(item), Markup.Escape(value));
            ctx.Console.Write(table);
            return 0;
        });
        return command;
    }
}
