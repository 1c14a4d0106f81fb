using System.Text.Json;
using System.Text.Json.Nodes;
using SpikeInit.IO;

namespace SpikeInit.Sweeps;

/// <summary>
/// A sweep's plan in its folder: <c>sweep.json</c> holds the grid and every numbered run (its seed, point, command line
/// and folder). Every shard of a sweep writes or checks the same plan, so a folder never mixes two sweeps.
/// </summary>
/// <param name="Folder">The sweep folder (the runs' folders are inside).</param>
/// <param name="Grid">The grid.</param>
/// <param name="Runs">The numbered runs.</param>
public sealed record SweepPlan(string Folder, SweepGrid Grid, IReadOnlyList<SweepRun> Runs)
{
    /// <summary>The plan's file name in the sweep folder.</summary>
    public const string FileName = "sweep.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The plan of <paramref name="grid"/> in <paramref name="folder"/>, not yet saved. <paramref name="check"/> is given each
    /// run's command line (with its <c>--out</c>) and returns an error, or null when it parses: a bad value fails here, before
    /// any run starts.
    /// </summary>
    public static SweepPlan Of(string folder, SweepGrid grid, Func<IReadOnlyList<string>, string?>? check = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        OutputPath.Folder(folder, "out");
        var plan = new SweepPlan(folder, grid, grid.Expand());
        if (check is not null)
            foreach (SweepRun run in plan.Runs)
                if (check(plan.Arguments(run)) is { } error) throw new ArgumentException($"sweep run {run.Index} ({run.Label}, seed {run.Seed}): {error}");
        return plan;
    }

    /// <summary>
    /// Writes the plan as <c>sweep.json</c>, or, when the folder already holds a plan, checks that it is the same grid (a
    /// different one is refused: a folder never mixes two sweeps).
    /// </summary>
    public void Save()
    {
        string path = Path.Combine(Folder, FileName);
        string json = ToJson();
        if (File.Exists(path))
        {
            SweepPlan existing = Load(Folder);
            if (existing.ToJson() != json)
                throw new IOException($"out = {Folder} holds another sweep ({FileName}: {existing.Describe()}); choose another --out, or delete that folder to start over");
            return;
        }
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteText(path, json);
    }

    /// <summary>The plan in <paramref name="folder"/> (its <c>sweep.json</c>); a folder without one is not a sweep.</summary>
    public static SweepPlan Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{folder} is not a sweep folder (no {FileName}); give the --out of a sweep");
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a sweep plan: {e.Message}", e);
        }
        try
        {
            var axes = root["axes"]!.AsArray().Select(a => new SweepAxis((string)a!["name"]!, [.. a["values"]!.AsArray().Select(v => (string)v!)], (bool)a["flag"]!)).ToList();
            var grid = new SweepGrid((string)root["command"]!, axes, [.. root["seeds"]!.AsArray().Select(s => (long)s!)]);
            if (!SweepGrid.Commands.Contains(grid.Command)) throw new InvalidDataException($"unknown command '{grid.Command}'");
            return new SweepPlan(folder, grid, grid.Expand());
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or InvalidCastException)
        {
            throw new InvalidDataException($"{path} is not a sweep plan ({e.Message})", e);
        }
    }

    /// <summary>The run's folder.</summary>
    public string RunFolder(SweepRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Path.Combine(Folder, run.Folder);
    }

    /// <summary>The command line of a fresh run: its arguments and <c>--out</c> its folder.</summary>
    public IReadOnlyList<string> Arguments(SweepRun run) => [.. run.Arguments, "--out", RunFolder(run)];

    /// <summary>One line: command, the options with several values and their counts, seeds and run count.</summary>
    public string Describe() =>
        $"{Grid.Command} over {string.Join(" × ", Grid.Axes.Where(a => !a.Flag && a.Values.Count > 1).Select(a => $"{a.Values.Count} {a.Name}").Append($"{Grid.Seeds.Count} seeds"))}, {Runs.Count} runs";

    private string ToJson() => new JsonObject
    {
        ["command"] = Grid.Command,
        ["axes"] = new JsonArray([.. Grid.Axes.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Name, ["values"] = new JsonArray([.. a.Values.Select(v => (JsonNode)JsonValue.Create(v))]), ["flag"] = a.Flag,
        })]),
        ["seeds"] = new JsonArray([.. Grid.Seeds.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["runs"] = new JsonArray([.. Runs.Select(r => (JsonNode)new JsonObject
        {
            ["index"] = r.Index, ["folder"] = r.Folder, ["seed"] = r.Seed,
            ["point"] = new JsonObject(r.Point.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
            ["arguments"] = new JsonArray([.. r.Arguments.Select(v => (JsonNode)JsonValue.Create(v))]),
        })]),
    }.ToJsonString(Indented);
}
