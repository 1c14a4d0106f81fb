using System.Globalization;

namespace SpikeInit.Sweeps;

/// <summary>
/// The grid of a sweep: a command (<c>probe</c>, <c>train</c> or <c>compare</c>), its options each with one or more
/// values, and the seeds. <see cref="Expand"/> numbers its runs in a fixed order: options in the order given (the last one
/// varies fastest), seeds innermost, so the same grid always gives the same numbered runs.
/// </summary>
/// <param name="Command">The command every run invokes.</param>
/// <param name="Axes">The options, in the order given.</param>
/// <param name="Seeds">The seeds, in the order given.</param>
public sealed record SweepGrid(string Command, IReadOnlyList<SweepAxis> Axes, IReadOnlyList<long> Seeds)
{
    /// <summary>The commands a sweep can run.</summary>
    public static IReadOnlyList<string> Commands { get; } = ["probe", "train", "compare"];

    /// <summary>The most runs one sweep may have.</summary>
    public const int MaxRuns = 100_000;

    /// <summary>Options the sweep sets itself for each run, which a grid may not give.</summary>
    private static readonly Dictionary<string, string> Reserved = new()
    {
        ["out"] = "the sweep gives each run its folder DIR/run-NNNN (set the sweep's --out)",
        ["seed"] = "give the seeds with --seeds (e.g. 1-5)",
        ["resume"] = "a sweep resumes its unfinished runs itself (run the same sweep again)",
        ["force"] = "a sweep's runs are resumed or restarted by the sweep itself",
    };

    /// <summary>
    /// The grid of <paramref name="command"/> with options <paramref name="tokens"/> (<c>--name value[,value…]</c> or a
    /// switch <c>--name</c>) and seeds <paramref name="seeds"/> (see <see cref="ParseSeeds"/>).
    /// </summary>
    public static SweepGrid Parse(string? command, IReadOnlyList<string> tokens, string? seeds)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (command is null || !Commands.Contains(command))
            throw new ArgumentException($"sweep needs a command: {string.Join(", ", Commands)} (got {(command is null ? "none" : "'" + command + "'")}), or --merge DIR");
        var axes = new List<SweepAxis>();
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length < 3)
                throw new ArgumentException($"sweep {command}: expected an option --name, got '{token}' (lists are comma-separated: --theta 0.5,1)");
            if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) Add(axes, command, token[2..], null, token);
            else Add(axes, command, token[2..], tokens[++i].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), tokens[i]);
        }
        return Checked(new SweepGrid(command, axes, ParseSeeds(seeds)));
    }

    /// <summary>Adds option <paramref name="name"/> with <paramref name="values"/> (null: a switch), given as <paramref name="given"/>.</summary>
    private static void Add(List<SweepAxis> axes, string command, string name, string[]? values, string given)
    {
        if (Reserved.TryGetValue(name, out string? why)) throw new ArgumentException($"sweep {command}: --{name} is not a grid option: {why}");
        if (axes.Any(a => a.Name == name)) throw new ArgumentException($"sweep {command}: --{name} is given twice (give its values as one list)");
        if (values is null)
        {
            axes.Add(new SweepAxis(name, [], Flag: true));
            return;
        }
        if (values.Length == 0) throw new ArgumentException($"sweep {command}: --{name} = '{given}' has no values");
        if (values.Distinct().Count() != values.Length) throw new ArgumentException($"sweep {command}: --{name} = '{given}' lists a value twice");
        axes.Add(new SweepAxis(name, values));
    }

    private static SweepGrid Checked(SweepGrid grid)
    {
        string command = grid.Command;
        var axes = grid.Axes;
        long runs = axes.Aggregate((long)grid.Seeds.Count, (n, a) => Math.Min(n * a.Count, MaxRuns + 1L));
        if (runs > MaxRuns) throw new ArgumentException($"sweep {command}: the grid has more than {MaxRuns} runs; split it into several sweeps");
        return grid;
    }

    /// <summary>The grid of <paramref name="file"/> (<see cref="Load"/>) or else of the command line (<see cref="Parse"/>); not both.</summary>
    public static SweepGrid From(string? file, string? command, IReadOnlyList<string> tokens, string? seeds)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (file is null) return Parse(command, tokens, seeds);
        if (command is not null || tokens.Count > 0 || seeds is not null)
            throw new ArgumentException($"grid = {file}: the file gives the command, options and seeds; give none of them on the command line");
        return Load(file);
    }

    /// <summary>
    /// The grid of a YAML file: <c>command</c> (probe, train or compare), <c>seeds</c> (as <see cref="ParseSeeds"/>, or a
    /// list of seeds) and <c>options</c>, a mapping from option name to one value or a list of values, each taken verbatim
    /// (so values may contain commas, e.g. <c>multi-step:5,8</c>); a switch is <c>name: true</c>.
    /// </summary>
    public static SweepGrid Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"grid = {path}: no such file");
        if (info.Length > 1 << 20) throw new InvalidDataException($"grid = {path} is larger than 1 MB: not a sweep grid");
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"grid = {path}: not YAML ({e.Message})", e);
        }
        if (yaml.Documents.Count != 1 || yaml.Documents[0].RootNode is not YamlDotNet.RepresentationModel.YamlMappingNode root)
            throw new InvalidDataException($"grid = {path}: expected one mapping with command, options and seeds");
        string? command = null, seeds = null;
        var axes = new List<SweepAxis>();
        foreach (var (key, node) in root.Children)
            switch (Scalar(key, path, "a key"))
            {
                case "command": command = Scalar(node, path, "command"); break;
                case "seeds": seeds = node is YamlDotNet.RepresentationModel.YamlSequenceNode list ? string.Join(",", list.Select(n => Scalar(n, path, "a seed"))) : Scalar(node, path, "seeds"); break;
                case "options" when node is YamlDotNet.RepresentationModel.YamlMappingNode options:
                    foreach (var (name, value) in options.Children)
                    {
                        string option = Scalar(name, path, "an option name");
                        string[] values = value is YamlDotNet.RepresentationModel.YamlSequenceNode many ? [.. many.Select(n => Scalar(n, path, "--" + option))] : [Scalar(value, path, "--" + option)];
                        Add(axes, command ?? "grid", option, values, $"{path}: {option}");
                    }
                    break;
                case var other: throw new InvalidDataException($"grid = {path}: unexpected '{other}' (expected command, options as a mapping, seeds)");
            }
        if (command is null || !Commands.Contains(command))
            throw new ArgumentException($"grid = {path}: command must be one of {string.Join(", ", Commands)} (got {command ?? "none"})");
        return Checked(new SweepGrid(command, axes, ParseSeeds(seeds)));
    }

    private static string Scalar(YamlDotNet.RepresentationModel.YamlNode node, string path, string what) =>
        node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } v } ? v
            : throw new InvalidDataException($"grid = {path}: {what} at line {node.Start.Line} must be a single value");

    /// <summary>
    /// Seeds as a comma-separated list of non-negative integers and ranges <c>A-B</c> (A ≤ B, both included), e.g.
    /// <c>1-5</c> or <c>1,2,10-12</c>; null or empty: seed 42 (the command line's default).
    /// </summary>
    public static IReadOnlyList<long> ParseSeeds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [42];
        var seeds = new List<long>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] ends = part.Split('-');
            long Number(string s) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v
                : throw new ArgumentException($"seeds = '{text}': '{part}' is not a non-negative integer or a range A-B (e.g. 1-5)");
            long from = Number(ends[0]), to = ends.Length == 2 ? Number(ends[1]) : ends.Length == 1 ? from : Number("");
            if (to < from) throw new ArgumentException($"seeds = '{text}': the range {part} ends before it starts");
            if (to - from >= MaxRuns) throw new ArgumentException($"seeds = '{text}': the range {part} has more than {MaxRuns} seeds");
            for (long s = from; s <= to; s++) seeds.Add(s);
        }
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"seeds = '{text}' lists a seed twice");
        return seeds;
    }

    /// <summary>
    /// The numbered runs: every combination of the options' values (the last option fastest), each with every seed. A run's
    /// point names the options with more than one value (the others are the same in every run).
    /// </summary>
    public IReadOnlyList<SweepRun> Expand()
    {
        var points = new List<List<KeyValuePair<string, string>>> { new() };
        foreach (SweepAxis axis in Axes.Where(a => !a.Flag && a.Values.Count > 1))
            points = [.. points.SelectMany(p => axis.Values.Select(v => new List<KeyValuePair<string, string>>(p) { new(axis.Name, v) }))];
        var runs = new List<SweepRun>();
        foreach (var point in points)
            foreach (long seed in Seeds)
            {
                var args = new List<string> { Command };
                foreach (SweepAxis axis in Axes)
                    if (axis.Flag) args.Add("--" + axis.Name);
                    else args.AddRange(["--" + axis.Name, axis.Values.Count == 1 ? axis.Values[0] : point.First(p => p.Key == axis.Name).Value]);
                args.AddRange(["--seed", seed.ToString(CultureInfo.InvariantCulture)]);
                runs.Add(new SweepRun(runs.Count, seed, point, args));
            }
        return runs;
    }

    /// <summary>
    /// The grid as command-line tokens after the command (options, then <c>--seeds</c> as a list); a value with a comma
    /// cannot be written so (it would be split) and is refused: give such a grid as a file.
    /// </summary>
    public IReadOnlyList<string> Tokens() => Axes.SelectMany(a => a.Values).FirstOrDefault(v => v.Contains(',', StringComparison.Ordinal)) is { } comma
        ? throw new ArgumentException($"the grid value '{comma}' contains a comma, which a command line would split: give the grid with --grid FILE.yaml")
        :
        [.. Axes.SelectMany(a => a.Flag ? ["--" + a.Name] : new[] { "--" + a.Name, string.Join(",", a.Values) }),
         "--seeds", string.Join(",", Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))];
}
