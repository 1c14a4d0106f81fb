namespace SpikeInit;

/// <summary>"Did you mean …?" for misspelled names: the candidates within a small edit distance of what was typed.</summary>
public static class Suggestions
{
    /// <summary>
    /// The names in <paramref name="candidates"/> that <paramref name="given"/> is a prefix of, or that are at most two edits
    /// away (insertion, deletion, substitution, or swap of neighbours), ordinal and case-sensitive, in the candidates' order.
    /// </summary>
    public static IReadOnlyList<string> Near(string given, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(candidates);
        return [.. candidates.Distinct().Where(c => c.StartsWith(given, StringComparison.Ordinal) || Distance(c, given) <= 2)];
    }

    /// <summary>The optimal-string-alignment edit distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
