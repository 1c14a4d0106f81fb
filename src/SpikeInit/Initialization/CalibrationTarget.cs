using System.Globalization;

namespace SpikeInit.Initialization;

/// <summary>What <see cref="Calibration"/> brings every calibrated layer to.</summary>
public enum CalibrationQuantity
{
    /// <summary>A firing rate per neuron and step.</summary>
    Rate,
    /// <summary>A membrane standard deviation σ_U (population, averaged over steps).</summary>
    MembraneStd,
    /// <summary>The firing rate the first calibrated layer has as initialized (it is left as is).</summary>
    KeepFirstRate,
}

/// <summary>
/// A calibration target: <c>rate:0.05</c> (spikes per neuron and step), <c>sigma:1</c> (membrane σ_U) or
/// <c>keep-first</c>, each met within a relative <paramref name="Tolerance"/> (default ±10 %).
/// </summary>
/// <param name="Quantity">What is matched.</param>
/// <param name="Value">The target value (ignored for <see cref="CalibrationQuantity.KeepFirstRate"/>).</param>
/// <param name="Tolerance">Relative tolerance in (0, 1).</param>
public sealed record CalibrationTarget(CalibrationQuantity Quantity, double Value, double Tolerance = 0.1)
{
    /// <summary>Parses <c>rate:V</c>, <c>sigma:V</c> or <c>keep-first</c>; errors name the option <c>calibrate</c>.</summary>
    public static CalibrationTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split(':');
        if (parts.Length == 1 && parts[0].Equals("keep-first", StringComparison.OrdinalIgnoreCase))
            return new CalibrationTarget(CalibrationQuantity.KeepFirstRate, double.NaN);
        if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            if (parts[0].Equals("rate", StringComparison.OrdinalIgnoreCase))
                return new CalibrationTarget(CalibrationQuantity.Rate, Validate.InRange(v, "calibrate rate", 0, 1, lowOpen: true, highOpen: true));
            if (parts[0].Equals("sigma", StringComparison.OrdinalIgnoreCase))
                return new CalibrationTarget(CalibrationQuantity.MembraneStd, Validate.Positive(v, "calibrate sigma"));
        }
        throw new ArgumentException($"calibrate = '{text}' is not rate:V (0 < V < 1 spikes per step), sigma:V (V > 0) or keep-first");
    }

    /// <summary>The target as <see cref="Parse"/> reads it: <c>rate:0.05</c>, <c>sigma:1</c> or <c>keep-first</c>.</summary>
    public override string ToString() => Quantity switch
    {
        CalibrationQuantity.Rate => $"rate:{Validate.Format(Value)}",
        CalibrationQuantity.MembraneStd => $"sigma:{Validate.Format(Value)}",
        _ => "keep-first",
    };
}
