using System.CommandLine;
using SpikeInit.IO;
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
            ctx.Show(new TextTable(["item", "value"], [.. TorchRuntime.Describe().Rows().Select(r => new[] { r.Item, r.Value })]));
            return 0;
        });
        return command;
    }
}
