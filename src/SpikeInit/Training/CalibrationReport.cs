using System.Text.Json.Nodes;
using SpikeInit.Initialization;
using SpikeInit.IO;
using SpikeInit.Networks;

namespace SpikeInit.Training;

/// <summary>
/// Writes a calibrated network: <c>DIR/model/</c> (<see cref="ModelStore"/>) and <c>DIR/calibration.json</c> (the target and
/// one object per layer: <c>layer, name, rate_before, rate_after, before, after, target, scale</c>). Refuses a folder that
/// already holds a calibration.
/// </summary>
public static class CalibrationReport
{
    /// <summary>
    /// Throws when <paramref name="folder"/> cannot be written or already holds a calibration, unless <paramref name="force"/>
    /// (checked before any work starts).
    /// </summary>
    public static void RefuseExisting(string folder, bool force = false)
    {
        OutputPath.Folder(folder, "out");
        if (!force && (File.Exists(Path.Combine(folder, "calibration.json")) || Directory.Exists(Path.Combine(folder, "model"))))
            throw new IOException($"{folder} already holds a calibration (calibration.json or model/); choose another --out, or replace it with --force");
    }

    /// <summary>Writes the model and the report.</summary>
    public static void Write(string folder, SpikingNetwork network, CalibrationTarget target, IReadOnlyList<LayerCalibration> layers)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(layers);
        RefuseExisting(folder);
        Directory.CreateDirectory(folder);
        ModelStore.Save(network, Path.Combine(folder, "model"));
        var json = new JsonObject
        {
            ["target"] = new JsonObject { ["quantity"] = EnumNames.Of(target.Quantity), ["value"] = double.IsFinite(target.Value) ? target.Value : null, ["tolerance"] = target.Tolerance },
            ["layers"] = new JsonArray([.. layers.Select(l => (JsonNode)new JsonObject
            {
                ["layer"] = l.Layer, ["name"] = l.Name, ["rate_before"] = l.RateBefore, ["rate_after"] = l.RateAfter,
                ["before"] = l.Before, ["after"] = l.After, ["target"] = l.Target, ["scale"] = l.Scale,
            })]),
        };
        AtomicFile.WriteText(Path.Combine(folder, "calibration.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>One row per layer: layer, rate before, rate after, the matched quantity after, target, scale.</summary>
    public static TextTable Table(CalibrationTarget target, IReadOnlyList<LayerCalibration> layers)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(layers);
        static string G(double x) => x.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
        bool rate = target.Quantity != CalibrationQuantity.MembraneStd;
        return new TextTable(rate ? ["layer", "rate before", "rate after", "target", "scale"] : ["layer", "rate before", "rate after", "sigma after", "target", "scale"],
                             [.. layers.Select(l => (IReadOnlyList<string>)(rate
                                 ? [l.Name, G(l.RateBefore), G(l.RateAfter), G(l.Target), G(l.Scale)]
                                 : [l.Name, G(l.RateBefore), G(l.RateAfter), G(l.After), G(l.Target), G(l.Scale)]))]);
    }
}
