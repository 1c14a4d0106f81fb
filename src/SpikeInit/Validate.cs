using System.Globalization;

namespace SpikeInit;

/// <summary>
/// The one place that checks numeric parameters. Every message names the parameter, the value and the valid range,
/// e.g. <c>beta = 1.5 is outside the valid range [0, 1]</c>.
/// </summary>
public static class Validate
{
    /// <summary>Requires <paramref name="low"/> ≤ value ≤ <paramref name="high"/> (or strict bounds) and finiteness.</summary>
    public static double InRange(double value, string name, double low, double high, bool lowOpen = false, bool highOpen = false)
    {
        bool ok = double.IsFinite(value)
                  && (lowOpen ? value > low : value >= low)
                  && (highOpen ? value < high : value <= high);
        if (!ok)
        {
            string range = (lowOpen || low == double.MinValue ? "(" : "[") + Format(low) + ", " + Format(high) + (highOpen || high == double.MaxValue ? ")" : "]");
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {Format(value)} is outside the valid range {range}");
        }
        return value;
    }

    /// <summary>Requires a finite value &gt; 0.</summary>
    public static double Positive(double value, string name) => InRange(value, name, 0, double.MaxValue, lowOpen: true);

    /// <summary>Requires a finite value ≥ 0.</summary>
    public static double NonNegativeFinite(double value, string name) => InRange(value, name, 0, double.MaxValue);

    /// <summary>Requires a finite value.</summary>
    public static double Finite(double value, string name) =>
        double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} = {Format(value)} must be a finite number");

    /// <summary>Requires an integer ≥ <paramref name="minimum"/>.</summary>
    public static int AtLeast(int value, string name, int minimum) =>
        value >= minimum ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} must be at least {minimum}");

    /// <summary>Requires an integer in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static int Between(int value, string name, int minimum, int maximum) =>
        value >= minimum && value <= maximum ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is outside the valid range [{minimum}, {maximum}]");

    /// <summary>Requires a defined enum value.</summary>
    public static T Defined<T>(T value, string name) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is not one of {string.Join(", ", Enum.GetNames<T>())}");

    /// <summary>An exception's message as one line for a user: without .NET's appended "(Parameter 'x')" and "Actual value" lines.</summary>
    public static string Message(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string m = error.Message;
        int cut = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0) m = m[..cut];
        int line = m.IndexOf('\n', StringComparison.Ordinal);
        return line >= 0 ? m[..line].TrimEnd() : m;
    }

    internal static string Format(double value) =>
        value == double.MaxValue ? "∞" : value == double.MinValue ? "-∞" : value.ToString("G6", CultureInfo.InvariantCulture);
}
