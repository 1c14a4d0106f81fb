using System.Globalization;
using System.Numerics;

namespace SpikeInit;

/// <summary>
/// Option values by name, as text (from a command line or a config file), read with typed getters that parse
/// culture-invariantly and name the option in every error. Missing values fall back to the given <see cref="OptionSpec"/>
/// defaults. Immutable.
/// </summary>
public sealed class Settings
{
    private readonly Dictionary<string, string> values;

    /// <summary>Creates settings from name → text pairs (null values are skipped).</summary>
    public Settings(IEnumerable<KeyValuePair<string, string?>>? values = null)
    {
        this.values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values ?? []) if (value is not null) this.values[name] = value;
    }

    /// <summary>Settings from numbers (written culture-invariantly, round-trip exact).</summary>
    public static Settings Numbers(params (string Name, double Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value.ToString("R", CultureInfo.InvariantCulture))));

    /// <summary>No values: every getter returns its default.</summary>
    public static Settings Empty { get; } = new();

    /// <summary>These settings with the defaults of <paramref name="specs"/> filled in where no value is given.</summary>
    public Settings WithDefaults(IEnumerable<OptionSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var merged = new Dictionary<string, string?>(values!, StringComparer.OrdinalIgnoreCase);
        foreach (OptionSpec spec in specs) merged.TryAdd(spec.Name, spec.Default);
        return new Settings(merged);
    }

    /// <summary>
    /// Refuses a value that none of <paramref name="readers"/> reads (an option that does not apply to the chosen neuron,
    /// method or preset), naming the option and every reader with the options it does take.
    /// </summary>
    public void RequireReaders(params (string Reader, IEnumerable<string> Reads)[] readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        foreach (string name in values.Keys.Where(n => !readers.Any(r => r.Reads.Contains(n, StringComparer.OrdinalIgnoreCase))))
            throw new ArgumentException($"--{name} does not apply to " + string.Join(" or ", readers.Select(r =>
                $"{r.Reader} (takes {(r.Reads.Any() ? string.Join(", ", r.Reads.Select(o => "--" + o)) : "no options")})")));
    }

    /// <summary>These settings with <paramref name="value"/> for <paramref name="name"/> (unchanged when the value is null).</summary>
    public Settings With(string name, string? value) =>
        value is null ? this : new Settings(values.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).Append(new(name, value)));

    /// <summary>Whether a value is given for <paramref name="name"/>.</summary>
    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>The text of <paramref name="name"/>, or null.</summary>
    public string? Text(string name) => values.GetValueOrDefault(name);

    /// <summary>A finite number (invariant culture, no thousands separators).</summary>
    public double Number(string name) => OptionalNumber(name) ?? throw new ArgumentException($"{name} needs a value");

    /// <summary>A finite number, or null when not given.</summary>
    public double? OptionalNumber(string name) => Text(name) is { } text ? ParseNumber(text, name) : null;

    /// <summary>
    /// A finite number written culture-invariantly (<c>0.001</c>, <c>1e-3</c>): a decimal comma or a thousands separator
    /// (<c>0,001</c>, <c>1,000</c>) is an error naming <paramref name="name"/>, never a different number.
    /// </summary>
    public static double ParseNumber(string text, string name) =>
        TryParseNumber(text) ?? throw new ArgumentException($"{name} = '{text}' is not a finite number (write e.g. 0.001 or 1e-3; no commas)");

    /// <summary>A finite number written culture-invariantly (as <see cref="ParseNumber"/>), or null.</summary>
    public static double? TryParseNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    /// <summary>
    /// A comma-separated list of numbers of type <typeparamref name="TNumber"/> (invariant culture; empty entries, thousands
    /// separators and out-of-range values are errors naming <paramref name="option"/>).
    /// </summary>
    public static IReadOnlyList<TNumber> List<TNumber>(string? text, string option) where TNumber : INumber<TNumber>
    {
        string[] parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        NumberStyles style = typeof(TNumber) == typeof(double) || typeof(TNumber) == typeof(float) ? NumberStyles.Float : NumberStyles.Integer;
        return [.. parts.Select(s => TNumber.TryParse(s, style, CultureInfo.InvariantCulture, out TNumber? v)
            ? v : throw new ArgumentException($"{option} = '{text}': '{s}' is not {(style == NumberStyles.Float ? "a number" : "an integer")}"))];
    }

    /// <summary>An integer, or null when not given (invariant culture, no separators).</summary>
    public int? OptionalInteger(string name) => Text(name) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v : throw new ArgumentException($"{name} = '{text}' is not an integer in [{int.MinValue}, {int.MaxValue}]")
        : null;

    /// <summary>Whether a switch is on (its text is <c>true</c>).</summary>
    public bool Flag(string name) => Text(name) is { } text && bool.TryParse(text, out bool on) && on;

    /// <summary>An enum value by kebab-case name or alias, or null when not given.</summary>
    public T? OptionalChoice<T>(string name, IReadOnlyDictionary<string, T>? aliases = null) where T : struct, Enum =>
        Text(name) is { } text ? EnumNames.Parse(text, name, aliases) : null;

    /// <summary>An enum value by kebab-case name or alias (<see cref="EnumNames.Parse{T}"/>).</summary>
    public T Choice<T>(string name, IReadOnlyDictionary<string, T>? aliases = null) where T : struct, Enum =>
        EnumNames.Parse(Text(name) ?? throw new ArgumentException($"{name} needs a value"), name, aliases);
}
