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
            RuntimeInfo info = TorchRuntime.Describe();
            var table = new Table().AddColumn("item").AddColumn("value");
            table.AddRow("SpikeInit", info.SpikeInitVersion);
            table.AddRow("TorchSharp", info.TorchSharpVersion);
            table.AddRow("libtorch", info.LibTorchVersion);
            table.AddRow("threads", info.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("interop threads", info.InteropThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("OpenMP wait policy", info.Tuning.OmpWaitPolicy ?? "(default)");
            table.AddRow("malloc keeps freed memory", info.Tuning.KeepsFreedMemory ? "yes" : "no");
            table.AddRow("CUDA available", info.CudaAvailable ? "yes" : "no");
            table.AddRow(".NET", Environment.Version.ToString());
            table.AddRow("OS", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            ctx.Console.Write(table);
            return 0;
        });
        return command;
    }
}
