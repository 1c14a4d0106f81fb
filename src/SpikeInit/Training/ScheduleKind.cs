namespace SpikeInit.Training;

/// <summary>Learning-rate schedules, computed per epoch in closed form (so a resumed run needs no scheduler state).</summary>
public enum ScheduleKind
{
    /// <summary>Constant.</summary>
    Constant,
    /// <summary>Cosine annealing over the run: <c>lr·(1 + cos(π e/E))/2</c>.</summary>
    Cosine,
    /// <summary>Multiply by γ at each milestone epoch.</summary>
    MultiStep,
}
