using System.CommandLine;
using System.Globalization;
using SpikeInit.IO;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Probing;
using SpikeInit.Runtime;

namespace SpikeInit.Cli.Commands;

/// <summary>
/// <c>spikeinit demo</c>: the built-in job that needs no data — a deep LIF network (encoder + L dense layers) driven by a
/// constant N(0, 1) current, as in Micheli et al. §4.2, reporting per-layer activity at initialization.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var depth = new Option<int>("--depth") { Description = "Dense layers after the encoder.", DefaultValueFactory = _ => 10 };
        var width = new Option<int>("--width") { Description = "Neurons per layer.", DefaultValueFactory = _ => 1000 };
        var steps = new Option<int>("--steps") { Description = "Time steps T.", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch") { Description = "Independent input samples.", DefaultValueFactory = _ => 16 };
        var beta = new Option<double>("--beta") { Description = "LIF leak β in [0, 1].", DefaultValueFactory = _ => 0.5 };
        var theta = new Option<double>("--theta") { Description = "Threshold θ > 0.", DefaultValueFactory = _ => 1.0 };
        var std = new Option<double?>("--weight-std") { Description = "Draw weights from N(0, std²) instead of PyTorch's default U(±1/√n)." };
        var output = new Option<string?>("--out") { Description = "Folder for demo.csv (per layer and step)." };
        var command = new Command("demo", "Run a deep LIF network at initialization on a built-in Gaussian input and report activity per layer.")
        {
            depth, width, steps, batch, beta, theta, std, output,
        };
        var device = RegistryOptions.AddTo(command, [ComputeDevice.Spec]);
        globals.SetAction(command, (parse, ctx) =>
        {
            var neuron = new LifNeuron(new LifParameters(parse.GetValue(beta), parse.GetValue(theta)));
            int n = Validate.AtLeast(parse.GetValue(width), "width", 1), t = parse.GetValue(steps), b = parse.GetValue(batch);
            NetworkSpec spec = Architectures.DeepDense(n, n, Validate.AtLeast(parse.GetValue(depth), "depth", 1), neuron);
            string? dir = parse.GetValue(output) is { } o ? OutputPath.Folder(o, "out") : null;
            IReadOnlyList<LayerActivity> layers = Demo.Run(spec, b, t, parse.GetValue(std), ctx.Seed, ComputeDevice.From(device.Values(parse)));
            ctx.Say($"{neuron.Description}, width {n}, {spec.Layers.Count} layers (0 = encoder), T = {t}, batch {b}, seed {ctx.Seed}");
            ctx.Show(new TextTable(["layer", "spikes/neuron/step", "silent fraction", $"Var[u] at t={t - 1}"],
                                   [.. layers.Select((a, l) => new[] { l.ToString(CultureInfo.InvariantCulture), F(a.MeanRate), F(a.SilentFraction), F(a.MembraneVariance![^1]) })]));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
                Demo.WriteCsv(Path.Combine(dir, "demo.csv"), layers);
                ctx.Say($"wrote {Path.Combine(dir, "demo.csv")}");
            }
            return 0;
        });
        return command;
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
