using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SpikeInit.IO;
using SpikeInit.Neurons;
using SpikeInit.Runtime;
using static TorchSharp.torch;

namespace SpikeInit.Networks;

/// <summary>The JSON document saved beside a model's weights.</summary>
/// <param name="Format">Format identifier, <c>spikeinit-model/1</c>.</param>
/// <param name="SpikeinitVersion">Version that wrote the file.</param>
/// <param name="Dtype">Parameter dtype.</param>
/// <param name="Network">The architecture, neurons and surrogates.</param>
public sealed record ModelDocument(string Format, string SpikeinitVersion, string Dtype, NetworkSpec Network);

/// <summary>
/// Saves and loads whole models as a folder: <c>model.json</c> (architecture, neuron and surrogate, readable and
/// diffable) and <c>weights.bin</c> (TorchSharp state dict with PyTorch-style keys such as <c>layers.1.weight</c>).
/// Each file is written to a temporary name and renamed, so a crash never leaves a half-written model.
/// </summary>
public static class ModelStore
{
    /// <summary>The format identifier.</summary>
    public const string Format = "spikeinit-model/1";

    /// <summary>Shared JSON settings (snake_case, enums as strings, indented; derived read-only values are not written).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NeuronModels.DescribePolymorphism } },
    };

    /// <summary>Serializes a specification.</summary>
    public static string ToJson(NetworkSpec spec) => JsonSerializer.Serialize(spec, JsonOptions);

    /// <summary>Deserializes a specification, with a clear error for malformed text.</summary>
    public static NetworkSpec SpecFromJson(string json) =>
        Deserialize<NetworkSpec>(json, "network specification");

    /// <summary>Saves <paramref name="network"/> into <paramref name="directory"/> (created if needed).</summary>
    public static void Save(SpikingNetwork network, string directory)
    {
        ArgumentNullException.ThrowIfNull(network);
        Directory.CreateDirectory(directory);
        string dtype = network.parameters().FirstOrDefault()?.dtype.ToString() ?? ScalarType.Float32.ToString();
        var doc = new ModelDocument(Format, TorchRuntime.InformationalVersion(typeof(ModelStore).Assembly), dtype, network.Spec);
        AtomicFile.Write(Path.Combine(directory, "weights.bin"), path => network.save(path));
        AtomicFile.Write(Path.Combine(directory, "model.json"), path => File.WriteAllText(path, JsonSerializer.Serialize(doc, JsonOptions)));
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Missing files, wrong format, or weights that do not fit the architecture.</exception>
    public static SpikingNetwork Load(string directory)
    {
        string json = Path.Combine(directory, "model.json"), weights = Path.Combine(directory, "weights.bin");
        if (!File.Exists(json)) throw new FileNotFoundException($"no model.json in {directory}", json);
        if (!File.Exists(weights)) throw new FileNotFoundException($"no weights.bin in {directory}", weights);
        ModelDocument doc = Deserialize<ModelDocument>(File.ReadAllText(json), json);
        if (doc.Format != Format) throw new InvalidDataException($"{json}: format '{doc.Format}' is not '{Format}'");
        if (!Enum.TryParse(doc.Dtype, out ScalarType dtype)) throw new InvalidDataException($"{json}: unknown dtype '{doc.Dtype}'");
        SpikingNetwork network = SpikingNetwork.Create(doc.Network, dtype: dtype);
        try
        {
            network.load(weights, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{weights}: weights do not match the architecture in model.json ({e.Message})", e);
        }
        return network;
    }

    private static T Deserialize<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonOptions) ?? throw new InvalidDataException($"{what}: empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what}: malformed JSON ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{what}: {e.Message}", e);
        }
    }
}
