namespace SpikeInit.Theory;

/// <summary>Which reading of a formula where the paper's derivation and the authors' code differ (docs/THEORY.md §S9).</summary>
public enum FormulaVariant
{
    /// <summary>The derived, mathematically consistent formula (default).</summary>
    Derived,
    /// <summary>The authors' code (<c>LuCeHe/lif_stability</c>): no factor 2 in II, post-reset I = 2(1 − α)ϑ/(n − 1).</summary>
    Code,
}
