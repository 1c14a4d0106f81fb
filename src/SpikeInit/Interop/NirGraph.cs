using PureHDF;
using SpikeInit.Data;

namespace SpikeInit.Interop;

/// <summary>
/// A NIR file as read: the <c>version</c> string, the root graph node (its metadata) and its nodes and edges. Reading
/// follows the reference writer (neuromorphs/NIR <c>nir/serialization.py</c>): a scalar variable-length string dataset
/// <c>version</c>; a group <c>node</c> with a string dataset <c>type</c> = <c>NIRGraph</c>, a group <c>nodes</c> with one
/// group per node (its <c>type</c> string dataset and its parameters as numeric datasets of any float or integer dtype),
/// an <c>(E, 2)</c> string dataset <c>edges</c> (source, target), and an optional <c>metadata</c> group.
/// </summary>
internal sealed record NirGraph(string Version, NirNode Root, IReadOnlyDictionary<string, NirNode> Nodes, IReadOnlyList<(string From, string To)> Edges)
{
    /// <summary>The largest NIR file read (a model's weights; 2 GB).</summary>
    public const long MaxFileBytes = 2L << 30;

    /// <summary>The most values one dataset may claim before it is read.</summary>
    private const ulong MaxValues = 1UL << 28;

    /// <summary>Reads and checks the file's structure (not yet its meaning: see <see cref="Nir.Import"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not a NIR graph as the reference writer produces it.</exception>
    public static NirGraph Read(string path)
    {
        long fileBytes = DataFile.RequireRegular(path);
        if (fileBytes > MaxFileBytes) throw new InvalidDataException($"{path}: {fileBytes} bytes is over the {MaxFileBytes >> 30} GB limit for a NIR file");
        if (Hdf5Links.FindExternal(path) is { } link) throw new InvalidDataException($"{path}: external link {link} refused (a NIR graph must be inside the file)");
        Hdf5Headers.Check(path, fileBytes);
        Hdf5Heaps.Check(path, fileBytes);
        try
        {
            using var stream = new GuardedStream(File.OpenRead(path), 64 * fileBytes + (64L << 20));
            using var file = H5File.Open(stream, false);
            string version = file.LinkExists("version") ? ScalarString(file.Dataset("version"), "version")
                : throw new InvalidDataException("no 'version' dataset: not a NIR file");
            if (!file.LinkExists("node")) throw new InvalidDataException("no 'node' group: not a NIR file");
            IH5Group root = file.Group("node");
            NirNode graph = ReadNode(root, "node");
            if (graph.Type != "NIRGraph") throw new InvalidDataException($"the root node has type '{graph.Type}', not NIRGraph");
            if (!root.LinkExists("nodes")) throw new InvalidDataException("the graph has no 'nodes' group");
            var nodes = new Dictionary<string, NirNode>(StringComparer.Ordinal);
            foreach (IH5Object child in root.Group("nodes").Children())
            {
                if (child is not IH5Group g) throw new InvalidDataException($"nodes/{child.Name} is not a group");
                nodes[child.Name] = ReadNode(g, child.Name);
            }
            if (!root.LinkExists("edges")) throw new InvalidDataException("the graph has no 'edges' dataset");
            return new NirGraph(version, graph, nodes, ReadEdges(root.Dataset("edges")));
        }
        catch (Exception e) when (e is not OutOfMemoryException && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException(e is InvalidDataException ? $"{path}: {e.Message}"
                                           : $"{path}: not a readable NIR file ({e.GetType().Name}: {e.Message.Split('\n')[0]})", e);
        }
    }

    private static NirNode ReadNode(IH5Group group, string name)
    {
        if (!group.LinkExists("type")) throw new InvalidDataException($"node '{name}' has no 'type' dataset");
        string type = ScalarString(group.Dataset("type"), $"{name}/type");
        var arrays = new Dictionary<string, NirArray>(StringComparer.Ordinal);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, NirArray>(StringComparer.Ordinal);
        var metadataStrings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (IH5Object child in group.Children())
        {
            if (child.Name is "type" or "nodes" or "edges") continue;
            if (child is IH5Group g && child.Name == "metadata") Fields(g, $"{name}/metadata", metadata, metadataStrings);
            else if (child is IH5Dataset d) Field(d, $"{name}/{child.Name}", child.Name, arrays, strings);
            else throw new InvalidDataException($"node '{name}': '{child.Name}' is a group; nested graphs are not supported");
        }
        return new NirNode(name, type, arrays, strings, metadata, metadataStrings);
    }

    private static void Fields(IH5Group group, string where, Dictionary<string, NirArray> arrays, Dictionary<string, string> strings)
    {
        foreach (IH5Object child in group.Children())
            if (child is IH5Dataset d) Field(d, $"{where}/{child.Name}", child.Name, arrays, strings);
    }

    private static void Field(IH5Dataset d, string where, string key, Dictionary<string, NirArray> arrays, Dictionary<string, string> strings)
    {
        if (IsString(d)) strings[key] = ScalarString(d, where);
        else arrays[key] = Numbers(d, where);
    }

    private static bool IsString(IH5Dataset d) =>
        d.Type.Class == H5DataTypeClass.String || d.Type.Class == H5DataTypeClass.VariableLength && d.Type.VariableLength.BaseType.Size == 1;

    private static ulong Values(IH5Dataset d, string where)
    {
        ulong n = 1;
        foreach (ulong dim in d.Space.Dimensions)
        {
            if (dim > MaxValues || (n *= dim) > MaxValues) throw new InvalidDataException($"{where} claims more than {MaxValues} values");
        }
        return n;
    }

    private static string ScalarString(IH5Dataset d, string where)
    {
        if (!IsString(d)) throw new InvalidDataException($"{where} is not a string");
        if (Values(d, where) != 1) throw new InvalidDataException($"{where} must be one string");
        string? s = d.Read<string[]>()[0];
        if (s is null || s.Length > 256) throw new InvalidDataException($"{where} must be a string of at most 256 characters");
        return s;
    }

    private static NirArray Numbers(IH5Dataset d, string where)
    {
        ulong n = Values(d, where);
        long[] shape = [.. d.Space.Dimensions.Select(x => (long)x)];
        double[] values = (d.Type.Class, d.Type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => [.. d.Read<float[]>().Select(x => (double)x)],
            (H5DataTypeClass.FloatingPoint, 8) => d.Read<double[]>(),
            (H5DataTypeClass.FixedPoint, 8) => [.. d.Read<long[]>().Select(x => (double)x)],
            (H5DataTypeClass.FixedPoint, 4) => [.. d.Read<int[]>().Select(x => (double)x)],
            (H5DataTypeClass.FixedPoint, 1) when d.Type.FixedPoint.IsSigned => [.. d.Read<sbyte[]>().Select(x => (double)x)],
            (H5DataTypeClass.FixedPoint, 1) => [.. d.Read<byte[]>().Select(x => (double)x)],
            var (c, s) => throw new InvalidDataException($"{where} has dtype {c} of {s} bytes; NIR parameters are float32/64 or int8/32/64 arrays"),
        };
        if ((ulong)values.LongLength != n) throw new InvalidDataException($"{where} holds {values.LongLength} values, not the {n} its shape claims");
        return new NirArray(values, shape);
    }

    private static List<(string, string)> ReadEdges(IH5Dataset d)
    {
        ulong n = Values(d, "edges");
        if (n == 0) return [];
        if (!IsString(d) || d.Space.Dimensions is not [_, 2])
            throw new InvalidDataException("'edges' must be an (E, 2) string dataset of (source, target) node names");
        string[] flat = d.Read<string[]>();
        return [.. Enumerable.Range(0, flat.Length / 2).Select(i => (flat[2 * i] ?? "", flat[2 * i + 1] ?? ""))];
    }
}
