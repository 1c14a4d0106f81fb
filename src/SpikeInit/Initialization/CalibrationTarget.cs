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

/// <summary>Which weights of a layer <see cref="Calibration"/> rescales.</summary>
public enum CalibrationWeights
{
    /// <summary>The input (feed-forward or convolutional) and recurrent weights by one factor.</summary>
    All,
    /// <summary>Only the input weights; recurrent weights keep their initialization.</summary>
    Input,
    /// <summary>Only the recurrent weights (recurrent layers; the others are left as they are).</summary>
    Recurrent,
}

/// <summary>
/// A calibration target: <c>rate:0.05</c> (spikes per neuron and step), <c>sigma:1</c> (membrane σ_U) or
/// <c>keep-first</c>, each met within a relative <paramref name="Tolerance"/> (default ±10 %), optionally followed by
/// <c>@input</c> or <c>@recurrent</c> to rescale only those weights of recurrent layers (default: both by one factor).
/// </summary>
/// <param name="Quantity">What is matched.</param>
/// <param name="Value">The target value (ignored for <see cref="CalibrationQuantity.KeepFirstRate"/>).</param>
/// <param name="Tolerance">Relative tolerance in (0, 1).</param>
/// <param name="Weights">Which weights are rescaled.</param>
public sealed record CalibrationTarget(CalibrationQuantity Quantity, double Value, double Tolerance = 0.1, CalibrationWeights Weights = CalibrationWeights.All)
{
    /// <summary>Parses <c>rate:V</c>, <c>sigma:V</c> or <c>keep-first</c>, each with an optional <c>@input</c> or <c>@recurrent</c>; errors name the option <c>calibrate</c>.</summary>
    public static CalibrationTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] at = text.Trim().Split('@');
        CalibrationWeights weights = CalibrationWeights.All;
        if (at.Length == 2 && at[1].Equals("input", StringComparison.OrdinalIgnoreCase)) weights = CalibrationWeights.Input;
        else if (at.Length == 2 && at[1].Equals("recurrent", StringComparison.OrdinalIgnoreCase)) weights = CalibrationWeights.Recurrent;
        else if (at.Length != 1) throw new ArgumentException($"calibrate = '{text}': the part after @ must be input or recurrent");
        string[] parts = at[0].Split(':');
        if (parts.Length == 1 && parts[0].Equals("keep-first", StringComparison.OrdinalIgnoreCase))
            return new CalibrationTarget(CalibrationQuantity.KeepFirstRate, double.NaN, Weights: weights);
        if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            if (parts[0].Equals("rate", StringComparison.OrdinalIgnoreCase))
                return new CalibrationTarget(CalibrationQuantity.Rate, Validate.InRange(v, "calibrate rate", 0, 1, lowOpen: true, highOpen: true), Weights: weights);
            if (parts[0].Equals("sigma", StringComparison.OrdinalIgnoreCase))
                return new CalibrationTarget(CalibrationQuantity.MembraneStd, Validate.Positive(v, "calibrate sigma"), Weights: weights);
        }
        throw new ArgumentException($"calibrate = '{text}' is not rate:V (0 < V < 1 spikes per step), sigma:V (V > 0) or keep-first, optionally followed by @input or @recurrent");
    }

    /// <summary>The target as <see cref="Parse"/> reads it: <c>rate:0.05</c>, <c>sigma:1</c> or <c>keep-first</c> (and <c>@input</c>/<c>@recurrent</c>).</summary>
    public override string ToString() => Quantity switch
    {
        CalibrationQuantity.Rate => $"rate:{Validate.Format(Value)}",
        CalibrationQuantity.MembraneStd => $"sigma:{Validate.Format(Value)}",
        _ => "keep-first",
    } + Weights switch { CalibrationWeights.Input => "@input", CalibrationWeights.Recurrent => "@recurrent", _ => "" };
}
