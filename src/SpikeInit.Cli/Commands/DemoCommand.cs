using System.CommandLine;
using System.Globalization;
using SpikeInit.Layers;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using Spectre.Console;
using SpikeInit.IO;
using static TorchSharp.torch;

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
        globals.SetAction(command, (parse, ctx) =>
        {
            var neuron = new LifNeuron(new LifParameters(parse.GetValue(beta), parse.GetValue(theta)));
            int n = Validate.AtLeast(parse.GetValue(width), "width", 1);
            int t = Validate.AtLeast(parse.GetValue(steps), "steps", 1);
            int b = Validate.AtLeast(parse.GetValue(batch), "batch", 1);
            NetworkSpec spec = Architectures.DeepDense(n, n, Validate.AtLeast(parse.GetValue(depth), "depth", 1), neuron);
            using var generator = new Generator((ulong)ctx.Seed);
            using var network = SpikingNetwork.Create(spec, generator);
            if (parse.GetValue(std) is { } s) DrawNormal(network, Validate.Positive(s, "weight-std"), generator);

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor input = randn([b, n], generator: generator);
            NetworkRun run = network.Run(input, t, Recording.All);
            var rows = Summarize(run);

            var table = new Table().AddColumns("layer", "spikes/neuron/step", "silent fraction", Markup.Escape($"Var[u] at t={t - 1}"));
            foreach (var group in rows.GroupBy(r => r.Layer))
            {
                var last = group.Last();
                table.AddRow(group.Key.ToString(CultureInfo.InvariantCulture), F(group.Average(r => r.Rate)), F(last.Silent), F(last.Variance));
            }
            ctx.Console.MarkupLine($"[bold]{Markup.Escape(neuron.Description)}[/], width {n}, {spec.Layers.Count} layers (0 = encoder), T = {t}, batch {b}, seed {ctx.Seed}");
            ctx.Console.Write(table);
            if (parse.GetValue(output) is { } dir) WriteCsv(dir, rows, ctx);
            return 0;
        });
        return command;
    }

    private sealed record Row(int Layer, int Step, double Rate, double Silent, double Mean, double Variance);

    private static List<Row> Summarize(NetworkRun run)
    {
        var rows = new List<Row>();
        foreach (LayerRecord layer in run.Layers)
        {
            LayerActivity a = LayerActivity.Measure(layer.Spikes!, layer.Membrane);
            for (int t = 0; t < a.Steps; t++)
                rows.Add(new Row(layer.Index, t, a.Rate[t], a.SilentFraction, a.MembraneMean![t], a.MembraneVariance![t]));
        }
        return rows;
    }

    private static void DrawNormal(SpikingNetwork network, double std, Generator generator)
    {
        using var _ = no_grad();
        foreach (Block block in network.Blocks)
            if (block is DenseBlock dense) dense.Weight.normal_(0, std, generator);
    }

    private static void WriteCsv(string dir, List<Row> rows, RunContext ctx)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "demo.csv");
        AtomicFile.Write(path, temp =>
        {
            using var w = new StreamWriter(temp);
            w.WriteLine("layer,time,firing_rate,silent_fraction,membrane_mean,membrane_var");
            foreach (Row r in rows)
                w.WriteLine(string.Join(',', r.Layer.ToString(CultureInfo.InvariantCulture), r.Step.ToString(CultureInfo.InvariantCulture),
                                        G(r.Rate), G(r.Silent), G(r.Mean), G(r.Variance)));
        });
        ctx.Console.MarkupLine($"wrote [blue]{Markup.Escape(path)}[/]");
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
    private static string G(double v) => v.ToString("G7", CultureInfo.InvariantCulture);
}
