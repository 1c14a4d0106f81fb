using System.Text;

namespace SpikeInit;

/// <summary>
/// The one way enum values are named for people: kebab-case (<c>SubtractBeforeDecay</c> → <c>subtract-before-decay</c>),
/// parsed case-insensitively, never from a number (so <c>--optimizer 3</c> is an error, not the fourth optimizer).
/// Command-line options, help texts, CSV columns and error messages all use it.
/// </summary>
public static class EnumNames
{
    /// <summary>The kebab-case name of a value.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Kebab(value.ToString());

    /// <summary>All names of <typeparamref name="T"/> in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => [.. Enum.GetValues<T>().Select(Of)];

    /// <summary>
    /// Parses a kebab-case name (or one of <paramref name="aliases"/>); anything else is an <see cref="ArgumentException"/>
    /// naming <paramref name="option"/> and the valid names.
    /// </summary>
    public static T Parse<T>(string? text, string option, IReadOnlyDictionary<string, T>? aliases = null) where T : struct, Enum
    {
        string wanted = (text ?? "").Trim();
        foreach (T value in Enum.GetValues<T>())
            if (Of(value).Equals(wanted, StringComparison.OrdinalIgnoreCase)) return value;
        if (aliases is not null)
            foreach (var (alias, value) in aliases)
                if (alias.Equals(wanted, StringComparison.OrdinalIgnoreCase)) return value;
        IEnumerable<string> names = aliases is null ? All<T>() : aliases.Keys.Concat(All<T>().Where(n => !aliases.Values.Select(Of).Contains(n)));
        throw new ArgumentException($"{option} = '{text}' is not one of {string.Join(", ", names)}");
    }

    private static string Kebab(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]))))
                sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
