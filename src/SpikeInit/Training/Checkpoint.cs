using System.Text.Json;
using SpikeInit.IO;
using SpikeInit.Networks;

namespace SpikeInit.Training;

/// <summary>
/// Checkpoints as a folder (<c>model.json</c>, <c>weights.bin</c>, <c>optimizer.bin</c>, <c>state.json</c>), written to a
/// temporary sibling, flushed to disk (files and folders), and swapped in by renames; a write killed at any point leaves a
/// complete checkpoint (the previous one, possibly under <c>.old</c>, which <see cref="Load"/> falls back to and
/// <see cref="Recover"/> puts back). Loading validates <c>state.json</c> (types, nulls, unknown fields, ranges).
/// </summary>
public static class Checkpoint
{
    /// <summary>The run's position, history and options in a checkpoint.</summary>
    public const string StateFile = "state.json";

    /// <summary>The optimizer's state in a checkpoint.</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>JSON settings of checkpoint state and run manifests (snake_case, enums as strings, indented).</summary>
    public static JsonSerializerOptions Json { get; } = new(ModelStore.JsonOptions) { WriteIndented = true };

    /// <summary>The largest <c>state.json</c> read (a million epochs of metrics stay far below).</summary>
    private const long MaxStateBytes = 256 << 20;

    internal static void Save(string directory, SpikingNetwork net, Optimizer optimizer, Trainer.RunState state)
    {
        string temp = directory + ".tmp-" + Environment.ProcessId, old = directory + ".old";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        ModelStore.Save(net, temp);
        using (var stream = new FileStream(Path.Combine(temp, OptimizerFile), FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.Save(writer);
            stream.Flush(flushToDisk: true);
        }
        using (var stream = new FileStream(Path.Combine(temp, StateFile), FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state, Json);
            stream.Flush(flushToDisk: true);
        }
        AtomicFile.Sync(temp);
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(directory)) Directory.Move(directory, old);
        Directory.Move(temp, directory);
        AtomicFile.Sync(Path.GetDirectoryName(Path.GetFullPath(directory))!);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    /// <summary>
    /// Cleans what killed writers left beside <paramref name="directory"/> (call it only while holding the run's lock, so
    /// that no writer is alive): temporary <c>.tmp-PID</c> folders are deleted, a complete checkpoint that was moved to
    /// <c>.old</c> is put back when the new one never arrived, and a half-deleted <c>.old</c> is removed.
    /// </summary>
    public static void Recover(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string full = Path.GetFullPath(directory), parent = Path.GetDirectoryName(full)!, name = Path.GetFileName(full), old = full + ".old";
        if (!Directory.Exists(parent)) return;
        foreach (string temp in Directory.EnumerateDirectories(parent, name + ".tmp-*")) Directory.Delete(temp, true);
        if (!Directory.Exists(old)) return;
        if (Directory.Exists(full)) Directory.Delete(old, true);
        else Directory.Move(old, full);
    }

    internal static (SpikingNetwork Network, Trainer.RunState State, byte[] Optimizer) Load(string directory)
    {
        string path = Located(directory);
        Trainer.RunState state = ReadState(path);
        string optimizer = Path.Combine(path, OptimizerFile);
        if (!File.Exists(optimizer)) throw new FileNotFoundException($"{path} has no {OptimizerFile}: incomplete checkpoint", optimizer);
        if (new FileInfo(optimizer).Length > MaxStateBytes * 16) throw new InvalidDataException($"{optimizer} is larger than {MaxStateBytes * 16 >> 20} MB");
        return (ModelStore.Load(path), state, File.ReadAllBytes(optimizer));
    }

    /// <summary>The folder that holds the checkpoint of <paramref name="directory"/> (itself, or its <c>.old</c> sibling).</summary>
    internal static string Located(string directory) =>
        Directory.Exists(directory) ? directory
        : Directory.Exists(directory + ".old") ? directory + ".old"
        : throw new DirectoryNotFoundException($"no checkpoint in {directory}: nothing to resume");

    /// <summary>Reads and validates the <c>state.json</c> of the checkpoint folder <paramref name="path"/>.</summary>
    internal static Trainer.RunState ReadState(string path)
    {
        string file = Path.Combine(path, StateFile);
        if (!File.Exists(file)) throw new FileNotFoundException($"{path} has no {StateFile}: incomplete checkpoint", file);
        if (new FileInfo(file).Length > MaxStateBytes) throw new InvalidDataException($"{file} is larger than {MaxStateBytes >> 20} MB");
        try
        {
            return (JsonSerializer.Deserialize<Trainer.RunState>(File.ReadAllText(file), ModelStore.StrictOptions) ?? throw new InvalidDataException("the document is null")).Checked();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: unreadable checkpoint state{(e.Path is { } at ? " at " + at : "")} ({Validate.Message(e).Split(" Path: ")[0]})", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"{file}: {Validate.Message(e)}", e);
        }
    }
}
