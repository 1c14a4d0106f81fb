using System.Globalization;

namespace SpikeInit;

/// <summary>
/// The memory a command may use, checked against the product of shapes before any tensor is made, so that an oversized
/// option or file is one clear error instead of an allocation failure minutes later. The budget is per logical call
/// (an <see cref="AsyncLocal{T}"/>, so concurrent callers do not see each other's); by default half of the memory
/// available to the process (physical memory or the container's limit).
/// </summary>
public static class MemoryBudget
{
    private static readonly AsyncLocal<long?> Current = new();

    /// <summary>The default budget: half of the memory available to this process.</summary>
    public static long Default => Math.Max(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2, 64L << 20);

    /// <summary>The budget in bytes of the current call (<see cref="Default"/> unless set).</summary>
    public static long Bytes
    {
        get => Current.Value ?? Default;
        set => Current.Value = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"max-memory = {value} must be positive");
    }

    /// <summary>
    /// Parses a size such as <c>512M</c>, <c>4G</c>, <c>1.5GB</c> or a number of bytes (invariant culture; K, M, G, T are
    /// powers of 1024); anything else, or a size below 16 MB, is an error naming <c>--max-memory</c>.
    /// </summary>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToUpperInvariant();
        if (t.EndsWith('B')) t = t[..^1];
        int shift = t.Length > 0 ? "KMGT".IndexOf(t[^1], StringComparison.Ordinal) : -1;
        if (shift >= 0) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
            throw new ArgumentException($"max-memory = '{text}' is not a size such as 512M, 4G or a number of bytes");
        double bytes = number * Math.Pow(1024, shift + 1);
        if (bytes < 16 << 20 || bytes > long.MaxValue / 2)
            throw new ArgumentException($"max-memory = '{text}' is outside the valid range [16M, {Describe(long.MaxValue / 2)}]");
        return (long)bytes;
    }

    /// <summary>
    /// Requires that <paramref name="bytes"/> (computed from shapes, as a double so that products cannot overflow) fit the
    /// budget; the error names <paramref name="what"/>, the sizes that make it up and <c>--max-memory</c>.
    /// </summary>
    public static void Require(double bytes, string what)
    {
        ArgumentNullException.ThrowIfNull(what);
        if (!(bytes <= Bytes))
            throw new ArgumentException($"{what} needs about {Describe(bytes)}, more than the memory budget of {Describe(Bytes)} "
                                        + "(--max-memory; default half of the available memory): choose smaller sizes");
    }

    /// <summary>Bytes as text with a binary unit (e.g. <c>1.5 GB</c>).</summary>
    public static string Describe(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1) { bytes /= 1024; u++; }
        return bytes.ToString(bytes >= 100 || u == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
