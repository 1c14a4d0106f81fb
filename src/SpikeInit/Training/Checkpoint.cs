using System.Text.Json;
using SpikeInit.Networks;

namespace SpikeInit.Training;

/// <summary>
/// Checkpoints as a folder (<c>model.json</c>, <c>weights.bin</c>, <c>optimizer.bin</c>, <c>state.json</c>), written to a
/// temporary sibling and swapped in by renames; a write killed at any point leaves a complete checkpoint (the previous
/// one, possibly under <c>.old</c>, which <see cref="Load"/> falls back to).
/// </summary>
public static class Checkpoint
{
    /// <summary>JSON settings of checkpoint state and run manifests (snake_case, enums as strings, indented).</summary>
    public static JsonSerializerOptions Json { get; } = new(ModelStore.JsonOptions) { WriteIndented = true };

    internal static void Save(string directory, SpikingNetwork net, Optimizer optimizer, Trainer.RunState state)
    {
        string temp = directory + ".tmp-" + Environment.ProcessId, old = directory + ".old";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        ModelStore.Save(net, temp);
        using (var writer = new BinaryWriter(File.Create(Path.Combine(temp, "optimizer.bin")))) optimizer.Save(writer);
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(directory)) Directory.Move(directory, old);
        Directory.Move(temp, directory);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    internal static (SpikingNetwork Network, Trainer.RunState State, byte[] Optimizer) Load(string directory)
    {
        string path = Directory.Exists(directory) ? directory
            : Directory.Exists(directory + ".old") ? directory + ".old"
            : throw new DirectoryNotFoundException($"no checkpoint in {directory}: nothing to resume");
        try
        {
            Trainer.RunState state = JsonSerializer.Deserialize<Trainer.RunState>(File.ReadAllText(Path.Combine(path, "state.json")), Json)
                                     ?? throw new InvalidDataException("state.json is empty");
            return (ModelStore.Load(path), state, File.ReadAllBytes(Path.Combine(path, "optimizer.bin")));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable checkpoint state ({e.Message})", e);
        }
    }
}
