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
}
