using System.Text.Json;
using System.Text.Json.Nodes;
using SpikeInit.Data;
using SpikeInit.IO;
using SpikeInit.Networks;
using SpikeInit.Runtime;

namespace SpikeInit.Training;

/// <summary>
/// A training run's folder and its life. <see cref="Create"/> prepares a new run for a folder that holds none (a folder
/// with a <c>run.json</c> is refused: resume it instead); its <see cref="Train"/> writes <c>run.json</c> (the resolved
/// configuration) and <c>versions.json</c> (the runtime), then trains, and removes what it made if it fails before the
/// first checkpoint. <see cref="Resume"/> reads <c>run.json</c> and continues from the last checkpoint with the same data.
/// The trainer writes the rest (see <see cref="Trainer"/>).
/// </summary>
public sealed class RunFolder
{
    /// <summary>The run's configuration, as resolved when it started (and the surrogates its initialization applied).</summary>
    public const string ManifestFile = "run.json";

    /// <summary>Library versions and runtime settings of the run.</summary>
    public const string VersionsFile = "versions.json";

    private bool replace;
    private int? extendTo;

    private RunFolder(string folder, RunConfiguration configuration, ITrainingData data, PreparedRun? prepared)
    {
        Folder = folder;
        Configuration = configuration;
        Data = data;
        Prepared = prepared;
    }

    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>The configuration with the preset's defaults filled in (dataset, initialization, options), as in <c>run.json</c>.</summary>
    public RunConfiguration Configuration { get; }

    /// <summary>The data the run trains on.</summary>
    public ITrainingData Data { get; }

    /// <summary>The initialized network of a new run; null when resuming (the checkpoint holds the network).</summary>
    public PreparedRun? Prepared { get; }

    /// <summary>
    /// Prepares a new run (data, network, initialization) for <paramref name="folder"/>, writing nothing yet. Without a folder
    /// the run goes to <c>runs/ARCH-INIT-SEED</c>, or the first of <c>…-2</c>, <c>…-3</c>, … that holds no run, so that
    /// repeating a command never touches an earlier run. A given folder that already holds a run is refused unless
    /// <paramref name="force"/> (then the old run's files are deleted when the new one starts). The folder is checked for
    /// writing before any data are loaded.
    /// </summary>
    public static RunFolder Create(RunConfiguration config, string? folder = null, DataCatalog? catalog = null, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        TrainingPreset preset = TrainingPresets.Get(config.Architecture);
        catalog ??= new DataCatalog(config.Cache);
        config = config with
        {
            Dataset = config.Dataset ?? preset.DefaultDataset(catalog, config.DataDirectory), Init = config.Init ?? preset.Init,
            Options = config.Options ?? preset.Options,
        };
        if (folder is null)
        {
            string name = Path.Combine("runs", $"{config.Architecture}-{config.Init}-{config.Seed}");
            folder = Enumerable.Range(1, int.MaxValue).Select(i => i == 1 ? name : $"{name}-{i}").First(f => !HoldsRun(f));
        }
        OutputPath.Folder(folder, "out");
        if (!force) EnsureFree(folder);
        PreparedRun run = PreparedRun.Prepare(config, catalog);
        return new RunFolder(folder, config, run.Data, run) { replace = force };
    }

    /// <summary>
    /// The run in <paramref name="folder"/>, to be resumed from its last checkpoint with the data of its <c>run.json</c>.
    /// <paramref name="changes"/> are the options a command line gives with the resume (<see cref="RunOptions.Specs"/>
    /// names, <c>init</c>, <c>seed</c>): a larger <c>epochs</c> extends the run (finished or not); any value that differs
    /// from the run's is refused, naming the option and both values.
    /// </summary>
    public static RunFolder Resume(string folder, DataCatalog? catalog = null, Settings? changes = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string manifest = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifest)) throw new FileNotFoundException($"{folder} has no {ManifestFile}: not a spikeinit run folder");
        RunConfiguration config = ReadManifest(manifest);
        int? epochs = null;
        foreach (string name in ((string[])["init", "seed", .. RunOptions.Specs.Select(s => s.Name)]).Where(n => changes?.Has(n) == true))
        {
            RunConfiguration changed = RunOptions.Apply(new Settings([new(name, changes!.Text(name))]), config);
            if (name == "epochs")
                epochs = Validate.AtLeast(changed.Options!.Epochs, "epochs", config.Options!.Epochs);
            else if (Difference(JsonSerializer.SerializeToNode(config, Checkpoint.Json), JsonSerializer.SerializeToNode(changed, Checkpoint.Json), "") is { } d)
                throw new ArgumentException($"--{name} {changes.Text(name)} differs from the run's {d.Was}: --resume continues {folder} as it was started "
                                            + "(only a larger --epochs extends it); start a new run without --resume to change it");
        }
        int target = Math.Max(epochs ?? 0, config.Options!.Epochs);
        CheckAgainstCheckpoint(folder, manifest, config);
        return new RunFolder(folder, config, PreparedRun.LoadData(TrainingPresets.Get(config.Architecture), config, catalog ?? new DataCatalog(config.Cache)), null)
        {
            extendTo = target,
        };
    }

    /// <summary>Reads a <c>run.json</c>: malformed JSON, nulls where a value is needed and out-of-range options are errors naming the file.</summary>
    private static RunConfiguration ReadManifest(string manifest)
    {
        if (new FileInfo(manifest).Length > 1 << 20) throw new InvalidDataException($"{manifest} is larger than 1 MB: not a run configuration");
        try
        {
            RunConfiguration config = JsonSerializer.Deserialize<RunConfiguration>(File.ReadAllText(manifest), ManifestOptions)
                                      ?? throw new InvalidDataException("the document is null");
            if (config.Options is null) throw new InvalidDataException("options is missing or null");
            return config;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifest}: unreadable run configuration{(e.Path is { } at ? " at " + at : "")} ({Validate.Message(e).Split(" Path: ")[0]})", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"{manifest}: {Validate.Message(e)}", e);
        }
    }

    /// <summary>How <c>run.json</c> is read: strictly (nulls, enum numbers), but the record of applied surrogates is allowed.</summary>
    private static readonly JsonSerializerOptions ManifestOptions = new(ModelStore.StrictOptions) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip };

    /// <summary>
    /// Refuses a <c>run.json</c> edited after the run started: it must agree with the configuration the checkpoint keeps
    /// (older checkpoints keep only the training options), except for a larger <c>epochs</c> (an extension), naming the field.
    /// </summary>
    private static void CheckAgainstCheckpoint(string folder, string manifest, RunConfiguration config)
    {
        Trainer.RunState state = Checkpoint.ReadState(Checkpoint.Located(Path.Combine(folder, "checkpoint")));
        if (config.Options!.Epochs < state.Options.Epochs)
            throw new InvalidDataException($"{manifest}: options.epochs = {config.Options.Epochs} is less than the checkpoint's {state.Options.Epochs}: run.json was edited after the run started; restore it");
        JsonNode? kept = state.Run is { } run ? JsonSerializer.SerializeToNode(run with { Options = state.Options }, Checkpoint.Json)
                                              : new JsonObject { ["options"] = JsonSerializer.SerializeToNode(state.Options, Checkpoint.Json) };
        JsonNode given = JsonSerializer.SerializeToNode(config with { Options = config.Options with { Epochs = state.Options.Epochs } }, Checkpoint.Json)!;
        if (state.Run is null) given = new JsonObject { ["options"] = given["options"]!.DeepClone() };
        if (Difference(kept, given, "") is { } d)
            throw new InvalidDataException($"{manifest}: {d.Path.TrimStart('.')} = {d.Now} differs from the checkpoint's {d.Was}: run.json was edited after the run "
                                           + "started; restore it (a resumed run keeps its configuration; start a new run to change it)");
    }

    /// <summary>The command line that continues this run.</summary>
    /// <summary>The command line that continues this run.</summary>
    public string ResumeCommand => $"spikeinit train --resume {Folder}";

    /// <summary>The first value of <paramref name="a"/> that <paramref name="b"/> changes: its path and both values as JSON text, or null when they agree.</summary>
    private static (string Path, string Was, string Now)? Difference(JsonNode? a, JsonNode? b, string path) => (a, b) switch
    {
        (JsonObject x, JsonObject y) => x.Select(p => Difference(p.Value, y[p.Key], path + "." + p.Key)).FirstOrDefault(d => d is not null)
                                        ?? y.Where(p => !x.ContainsKey(p.Key)).Select(p => ((string, string, string)?)(path + "." + p.Key, "(unset)", p.Value?.ToJsonString() ?? "null")).FirstOrDefault(),
        (JsonArray x, JsonArray y) when x.Count == y.Count => x.Zip(y).Select((p, i) => Difference(p.First, p.Second, $"{path}[{i}]")).FirstOrDefault(d => d is not null),
        _ => JsonNode.DeepEquals(a, b) ? null : (path, a?.ToJsonString() ?? "(unset)", b?.ToJsonString() ?? "(unset)"),
    };

    private static bool HoldsRun(string folder) => File.Exists(Path.Combine(folder, ManifestFile));

    /// <summary>Refuses a folder that already holds a run, naming how to continue it instead.</summary>
    public static void EnsureFree(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (HoldsRun(folder))
            throw new IOException($"{folder} already holds a run ({ManifestFile}): continue it with --resume {folder}, replace it with --force, or choose another folder");
    }

    /// <summary>Trains the new run (after writing its manifest) or resumes the existing one.</summary>
    public TrainingSummary Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (Prepared is null)
        {
            using RunLock held = RunLock.Acquire(Folder);
            Checkpoint.Recover(Path.Combine(Folder, "checkpoint"));
            if (extendTo is { } epochs && epochs != Configuration.Options!.Epochs)
            {
                JsonNode manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, ManifestFile)))!;
                manifest["options"]!["epochs"] = epochs;
                AtomicFile.WriteText(Path.Combine(Folder, ManifestFile), manifest.ToJsonString(Checkpoint.Json));
            }
            return Trainer.Resume(Folder, Data, Configuration, progress, extendTo, cancellation);
        }
        bool created = !Directory.Exists(Folder), locked = false, failed = true;
        Directory.CreateDirectory(Folder);
        try
        {
            using RunLock held = RunLock.Acquire(Folder);
            locked = true;
            Checkpoint.Recover(Path.Combine(Folder, "checkpoint"));
            if (replace && HoldsRun(Folder))
                foreach (string entry in (string[])[ManifestFile, VersionsFile, "checkpoint", "model", "metrics.csv", "summary.json", "learning_curves.png", "learning_curves.svg"])
                {
                    string path = Path.Combine(Folder, entry);
                    if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                    else File.Delete(path);
                }
            EnsureFree(Folder);
            AtomicFile.WriteText(Path.Combine(Folder, ManifestFile), Manifest(Configuration, Prepared).ToJsonString(Checkpoint.Json));
            AtomicFile.WriteText(Path.Combine(Folder, VersionsFile), JsonSerializer.Serialize(TorchRuntime.Describe(), Checkpoint.Json));
            TrainingSummary summary = Trainer.Train(Prepared.Network, Data, Prepared.Options, Folder, Configuration, progress, cancellation);
            if (Prepared.InitialRate is { } initialRate)
            {
                summary = summary with { InitialRate = initialRate };
                TrainingReport.Write(Folder, summary, Data.Name, Data.Splits);
            }
            failed = false;
            return summary;
        }
        finally
        {
            // after the lock is released; a run that another process holds is never touched
            if (failed && (locked || created) && !Directory.Exists(Path.Combine(Folder, "checkpoint"))) Remove(created);
        }
    }

    /// <summary>
    /// The <c>run.json</c> of a new run: the configuration, and under <c>surrogates</c> the surrogate the initialization
    /// recommended per layer and whether it was applied (absent when the method recommends none). Resuming reads the
    /// configuration and ignores the record.
    /// </summary>
    private static JsonObject Manifest(RunConfiguration configuration, PreparedRun prepared)
    {
        JsonObject manifest = JsonSerializer.SerializeToNode(configuration, Checkpoint.Json)!.AsObject();
        JsonArray surrogates = [.. prepared.Initialization.Select(r => r.SurrogateJson()).OfType<JsonObject>()];
        if (surrogates.Count > 0) manifest["surrogates"] = surrogates;
        if (prepared.InitialRate is { } initialRate) manifest["initial_rate"] = initialRate.ToJson();
        return manifest;
    }

    /// <summary>Removes a run that failed before its first checkpoint: the folder if this run made it, else the run's files.</summary>
    private void Remove(bool created)
    {
        if (created)
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
            return;
        }
        foreach (string file in (string[])[ManifestFile, VersionsFile, RunLock.FileName])      // the lock is released by now
            File.Delete(Path.Combine(Folder, file));
    }
}
