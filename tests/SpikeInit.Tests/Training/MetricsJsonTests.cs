using System.Text.Json;
using SpikeInit.Training;

namespace SpikeInit.Tests;

public sealed class MetricsJsonTests
{
    [Fact]
    public void Undefined_metrics_are_null_in_json_and_read_back_as_nan()
    {
        var m = new EpochMetrics(0, 3, 0.1, 0.5, 0.25, double.NaN, double.NaN, double.PositiveInfinity, 0.75, [0.1], 1.5);
        string json = JsonSerializer.Serialize(m, Checkpoint.Json);
        Assert.Contains("\"validation_loss\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"test_loss\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"test_accuracy\": 0.75", json, StringComparison.Ordinal);
        EpochMetrics back = JsonSerializer.Deserialize<EpochMetrics>(json, Checkpoint.Json)!;
        Assert.True(double.IsNaN(back.ValidationAccuracy) && double.IsNaN(back.TestLoss));
        Assert.Equal((0.5, 0.25, 0.75), (back.TrainLoss, back.TrainAccuracy, back.TestAccuracy));
    }
}
