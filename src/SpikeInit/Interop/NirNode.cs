namespace SpikeInit.Interop;

/// <summary>
/// One node group of a NIR graph as read from the file: its <c>type</c> string, its numeric datasets, its string datasets
/// and its <c>metadata</c> group's entries (numbers and strings).
/// </summary>
internal sealed record NirNode(string Name, string Type, IReadOnlyDictionary<string, NirArray> Arrays,
                               IReadOnlyDictionary<string, string> Strings, IReadOnlyDictionary<string, NirArray> Metadata,
                               IReadOnlyDictionary<string, string> MetadataStrings)
{
    /// <summary>A required numeric parameter.</summary>
    /// <exception cref="InvalidDataException">The node has no such dataset.</exception>
    public NirArray Array(string key) => Arrays.TryGetValue(key, out var a) ? a
        : throw new InvalidDataException($"node '{Name}' ({Type}) has no '{key}' dataset");

    /// <summary>A numeric parameter that is the same for every entry (SpikeInit's neurons share parameters per layer).</summary>
    /// <exception cref="InvalidDataException">Missing, empty, non-finite, or different across the layer's neurons.</exception>
    public double Uniform(string key, double? fallback = null)
    {
        if (!Arrays.ContainsKey(key) && fallback is { } f) return f;
        NirArray a = Array(key);
        if (a.Count == 0) throw new InvalidDataException($"node '{Name}' ({Type}): '{key}' is empty");
        if (a.Values.FirstOrDefault(v => !double.IsFinite(v), 0) is var bad && !double.IsFinite(bad))
            throw new InvalidDataException($"node '{Name}' ({Type}): '{key}' holds a non-finite value ({bad})");
        double first = a.Values[0];
        if (a.Values.Any(v => v != first))
            throw new InvalidDataException($"node '{Name}' ({Type}): '{key}' differs across neurons ({a.Values.Min()} to {a.Values.Max()}); SpikeInit's neurons share one value per layer");
        return first;
    }

    /// <summary>Integer entries of a parameter (stride, padding, shapes), requiring whole numbers.</summary>
    public long[] Integers(string key)
    {
        NirArray a = Array(key);
        if (a.Values.Any(v => v != Math.Floor(v) || Math.Abs(v) > int.MaxValue))
            throw new InvalidDataException($"node '{Name}' ({Type}): '{key}' must hold integers, not [{string.Join(", ", a.Values)}]");
        return [.. a.Values.Select(v => (long)v)];
    }
}
