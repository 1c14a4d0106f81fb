namespace SpikeInit.Sweeps;

/// <summary>
/// One option of a sweep's grid: <c>--Name</c> with the values it takes in turn, or a switch (<see cref="Flag"/>) given to
/// every run as it is.
/// </summary>
/// <param name="Name">The option's name without dashes, e.g. <c>theta</c>.</param>
/// <param name="Values">The values in the order given (empty for a switch).</param>
/// <param name="Flag">A switch without a value (e.g. <c>--gradients</c>).</param>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Values, bool Flag = false)
{
    /// <summary>How many values the axis contributes to the grid's product (a switch: one).</summary>
    public int Count => Flag ? 1 : Values.Count;
}
