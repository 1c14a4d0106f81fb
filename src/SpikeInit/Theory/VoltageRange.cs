namespace SpikeInit.Theory;

/// <summary>The range [v_min, v_max] of the voltage assumed uniform by condition IV (docs/THEORY.md §S4.1).</summary>
/// <param name="Min">v_min.</param>
/// <param name="Max">v_max.</param>
public readonly record struct VoltageRange(double Min, double Max);
