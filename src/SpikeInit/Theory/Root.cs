namespace SpikeInit.Theory;

/// <summary>Outcome of a root search.</summary>
public enum RootStatus
{
    /// <summary>A root was found.</summary>
    Ok,
    /// <summary>The target is above the supremum of the function: no parameter reaches it.</summary>
    TargetTooLarge,
    /// <summary>The target is below the infimum of the function on the search interval.</summary>
    TargetTooSmall,
}

/// <summary>A root and whether it exists.</summary>
/// <param name="Status">Whether the root exists.</param>
/// <param name="Value">The root (NaN unless <see cref="RootStatus.Ok"/>).</param>
public readonly record struct Root(RootStatus Status, double Value)
{
    /// <summary>True when a root was found.</summary>
    public bool Found => Status == RootStatus.Ok;
}
