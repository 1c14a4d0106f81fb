using System.CommandLine;
using SpikeInit.Interop;
using SpikeInit.IO;
using SpikeInit.Networks;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit export</c> and <c>spikeinit import</c>: a model folder to and from a NIR file.</summary>
internal static class NirCommand
{
    public static Command CreateExport(GlobalOptions globals)
    {
        var model = new Argument<string>("model") { Description = "A model folder (model.json, weights.bin) or a training run's folder." };
        var format = new Option<string>("--format") { Description = "Interchange format: nir (the Neuromorphic Intermediate Representation).", DefaultValueFactory = _ => "nir" };
        var dt = new Option<double?>("--dt") { Description = "Seconds per step: the discrete decays become NIR time constants, tau = -dt/ln(beta) (docs/THEORY.md).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "The .nir file to write.", Required = true };
        var command = new Command("export", "Write a model as a NIR graph (HDF5) for snnTorch, Norse, Lava, Sinabs and neuromorphic toolchains.") { model, format, dt, output };
        globals.SetAction(command, (parse, ctx) =>
        {
            if (parse.GetValue(format) is var f && f != "nir") throw new ArgumentException($"format = {f} is not one of: nir");
            string file = OutputPath.File(parse.GetValue(output)!, "out", ".nir");
            using SpikingNetwork net = ModelStore.Load(Nir.ModelFolder(parse.GetValue(model)!));
            Nir.Export(net, parse.GetValue(dt)!.Value, file);
            ctx.Say($"wrote {Path.GetFullPath(file)} ({net.Spec.Layers.Count} layers, dt = {parse.GetValue(dt)} s)");
            return 0;
        });
        return command;
    }

    public static Command CreateImport(GlobalOptions globals)
    {
        var file = new Argument<string>("file") { Description = "A NIR file (.nir, HDF5)." };
        var dt = new Option<double?>("--dt") { Description = "Seconds per step for the time constants (default: the dt a SpikeInit export recorded; required for other tools' files)." };
        var output = new Option<string>("--out", "-o") { Description = "The model folder to write (model.json, weights.bin).", Required = true };
        var command = new Command("import", "Read a NIR graph into a SpikeInit model folder.") { file, dt, output };
        globals.SetAction(command, (parse, ctx) =>
        {
            string dir = OutputPath.Folder(parse.GetValue(output)!, "out");
            using SpikingNetwork net = Nir.Import(parse.GetValue(file)!, parse.GetValue(dt));
            ModelStore.Save(net, dir);
            ctx.Say($"wrote {Path.GetFullPath(dir)} ({net.Spec.Layers.Count} layers)");
            return 0;
        });
        return command;
    }
}
