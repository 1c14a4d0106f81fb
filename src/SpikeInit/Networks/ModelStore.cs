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
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NeuronModels.DescribePolymorphism } },
    };

    /// <summary>
    /// Settings for reading what a user may have edited (<c>model.json</c>, checkpoint state): as <see cref="JsonOptions"/>,
    /// but a null where the member is not nullable, a missing required member, an unknown member and an enum given as a
    /// number are errors, so that no edit silently falls back to a default.
    /// </summary>
    public static JsonSerializerOptions StrictOptions { get; } = new(JsonOptions)
    {
        RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The parameter dtypes a model may have (by name only).</summary>
    private static readonly ScalarType[] Dtypes = [ScalarType.Float32, ScalarType.Float64];

    /// <summary>Serializes a specification.</summary>
    public static string ToJson(NetworkSpec spec) => JsonSerializer.Serialize(spec, JsonOptions);

    /// <summary>Deserializes a specification, with a clear error for malformed text.</summary>
    public static NetworkSpec SpecFromJson(string json) =>
        Check(Deserialize<NetworkSpec>(json, "network specification"), "network specification");

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
        if (new FileInfo(json).Length > MaxJsonBytes) throw new InvalidDataException($"{json} is larger than {MaxJsonBytes >> 20} MB: not a model.json");
        ModelDocument doc = Deserialize<ModelDocument>(File.ReadAllText(json), json);
        if (doc.Format != Format) throw new InvalidDataException($"{json}: format '{doc.Format}' is not '{Format}'");
        ScalarType dtype = Dtypes.FirstOrDefault(d => d.ToString().Equals(doc.Dtype, StringComparison.OrdinalIgnoreCase), ScalarType.Bool);
        if (dtype == ScalarType.Bool) throw new InvalidDataException($"{json}: dtype = '{doc.Dtype}' is not one of {string.Join(", ", Dtypes)}");
        Check(doc.Network, json);
        SpikingNetwork network;
        try
        {
            network = SpikingNetwork.Create(doc.Network, dtype: dtype);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{json}: {Validate.Message(e)}", e);
        }
        try
        {
            using var stream = new FileStream(weights, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(stream);
            network.load(reader, strict: true);
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{weights}: {stream.Length - stream.Position} bytes after the weights of the architecture in model.json");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException
                                      or System.Runtime.InteropServices.ExternalException or OverflowException or OutOfMemoryException)
        {
            network.Dispose();
            throw new InvalidDataException($"{weights}: weights do not match the architecture in model.json ({Validate.Message(e)})", e);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return network;
    }

    /// <summary>The largest <c>model.json</c> read (a model's description is kilobytes).</summary>
    private const long MaxJsonBytes = 16 << 20;

    /// <summary>Requires a per-sample input shape of 1 to 4 positive sizes and at least one layer, naming <paramref name="what"/>.</summary>
    private static NetworkSpec Check(NetworkSpec spec, string what)
    {
        if (spec.InputShape.Length is 0 or > 4 || spec.InputShape.Any(d => d is < 1 or > int.MaxValue))
            throw new InvalidDataException($"{what}: input_shape = [{string.Join(", ", spec.InputShape)}] must have 1 to 4 sizes, each in [1, {int.MaxValue}]");
        if (spec.Layers.Count == 0) throw new InvalidDataException($"{what}: layers is empty; a network needs at least one layer");
        if (spec.Layers.Any(l => l is null)) throw new InvalidDataException($"{what}: layers holds a null entry");
        if (!Enum.IsDefined(spec.Readout)) throw new InvalidDataException($"{what}: readout = {spec.Readout} is not one of {string.Join(", ", EnumNames.All<Readout>())}");
        return spec;
    }

    /// <summary>The path of the first JSON null in <paramref name="node"/> (models are written without nulls), or null.</summary>
    private static string? FirstNull(System.Text.Json.Nodes.JsonNode? node, string path) => node switch
    {
        null => path,
        System.Text.Json.Nodes.JsonObject o => o.Select(p => FirstNull(p.Value, $"{path}.{p.Key}")).FirstOrDefault(p => p is not null),
        System.Text.Json.Nodes.JsonArray a => a.Select((v, i) => FirstNull(v, $"{path}[{i}]")).FirstOrDefault(p => p is not null),
        _ => null,
    };

    private static T Deserialize<T>(string json, string what)
    {
        try
        {
            if (FirstNull(System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }), "$") is { } at)
                throw new InvalidDataException($"{what}: {at} is null; give a value, or leave the member out where it has a default");
            return JsonSerializer.Deserialize<T>(json, StrictOptions) ?? throw new InvalidDataException($"{what}: empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what}: malformed JSON{(e.Path is { } path ? " at " + path : "")} ({Validate.Message(e).Split(" Path: ")[0]})", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{what}: {e.Message}", e);
        }
    }
}
