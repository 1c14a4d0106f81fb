namespace SpikeInit.Training;

/// <summary>A learning-rate schedule.</summary>
/// <param name="Kind">Kind.</param>
/// <param name="Milestones">Epochs at which multi-step decays.</param>
/// <param name="Gamma">Multi-step factor.</param>
public sealed record Schedule(ScheduleKind Kind = ScheduleKind.Constant, IReadOnlyList<int>? Milestones = null, double Gamma = 0.1)
{
    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based) of <paramref name="epochs"/>.</summary>
    public double Rate(double baseRate, int epoch, int epochs) => Kind switch
    {
        ScheduleKind.Cosine => baseRate * (1 + Math.Cos(Math.PI * epoch / Math.Max(epochs, 1))) / 2,
        ScheduleKind.MultiStep => baseRate * Math.Pow(Gamma, (Milestones ?? []).Count(m => epoch >= m)),
        _ => baseRate,
    };

    /// <summary>
    /// Parses <c>constant</c>, <c>cosine</c> or <c>multi-step:E1,E2[:gamma]</c> (also <c>multistep</c>); errors name the option
    /// <c>schedule</c> and the valid forms.
    /// </summary>
    public static Schedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        ScheduleKind kind = EnumNames.Parse(parts[0], "schedule", Aliases);
        if (kind != ScheduleKind.MultiStep) return new Schedule(kind);
        if (parts.Length < 2) throw new ArgumentException($"schedule = '{text}' needs its milestone epochs: multi-step:E1,E2[:gamma]");
        if (parts.Length > 3) throw new ArgumentException($"schedule = '{text}' is not multi-step:E1,E2[:gamma]");
        double gamma = parts.Length > 2 ? Settings.List<double>(parts[2], "schedule gamma")[0] : 0.1;
        return new Schedule(kind, Settings.List<int>(parts[1], "schedule milestones"), Validate.Positive(gamma, "schedule gamma"));
    }

    private static readonly Dictionary<string, ScheduleKind> Aliases = new() { ["multistep"] = ScheduleKind.MultiStep };
}
