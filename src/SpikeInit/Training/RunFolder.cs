using System.Text.Json;
using System.Text.Json.Nodes;
using SpikeInit.Data;
using SpikeInit.IO;
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
    /// Prepares a new run (data, network, initialization) for <paramref name="folder"/> (null: <c>runs/ARCH-INIT-SEED</c>),
    /// writing nothing yet. A folder that already holds a run is refused.
    /// </summary>
    public static RunFolder Create(RunConfiguration config, string? folder = null, DataCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        TrainingPreset preset = TrainingPresets.Get(config.Architecture);
        config = config with { Dataset = config.Dataset ?? preset.Dataset, Init = config.Init ?? preset.Init, Options = config.Options ?? preset.Options };
        folder ??= Path.Combine("runs", $"{config.Architecture}-{config.Init}-{config.Seed}");
        EnsureFree(folder);
        PreparedRun run = PreparedRun.Prepare(config, catalog);
        return new RunFolder(folder, config, run.Data, run);
    }

    /// <summary>The run in <paramref name="folder"/>, to be resumed from its last checkpoint with the data of its <c>run.json</c>.</summary>
    public static RunFolder Resume(string folder, DataCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string manifest = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifest)) throw new FileNotFoundException($"{folder} has no {ManifestFile}: not a spikeinit run folder");
        RunConfiguration config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfiguration>(File.ReadAllText(manifest), Checkpoint.Json) ?? throw new InvalidDataException($"{manifest} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifest}: unreadable run configuration ({e.Message})", e);
        }
        return new RunFolder(folder, config, PreparedRun.LoadData(TrainingPresets.Get(config.Architecture), config, catalog ?? new DataCatalog(config.Cache)), null);
    }

    /// <summary>Refuses a folder that already holds a run, naming how to continue it instead.</summary>
    public static void EnsureFree(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (File.Exists(Path.Combine(folder, ManifestFile)))
            throw new IOException($"{folder} already holds a run ({ManifestFile}): continue it with --resume {folder}, or choose another folder");
    }

    /// <summary>Trains the new run (after writing its manifest) or resumes the existing one.</summary>
    public TrainingSummary Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (Prepared is null) return Trainer.Resume(Folder, Data, progress, cancellation);
        EnsureFree(Folder);
        bool created = !Directory.Exists(Folder);
        try
        {
            Directory.CreateDirectory(Folder);
            AtomicFile.WriteText(Path.Combine(Folder, ManifestFile), Manifest(Configuration, Prepared).ToJsonString(Checkpoint.Json));
            AtomicFile.WriteText(Path.Combine(Folder, VersionsFile), JsonSerializer.Serialize(TorchRuntime.Describe(), Checkpoint.Json));
            return Trainer.Train(Prepared.Network, Data, Prepared.Options, Folder, progress, cancellation);
        }
        catch
        {
            if (!Directory.Exists(Path.Combine(Folder, "checkpoint"))) Remove(created);
            throw;
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
        foreach (string file in (string[])[ManifestFile, VersionsFile])
            File.Delete(Path.Combine(Folder, file));
    }
}
