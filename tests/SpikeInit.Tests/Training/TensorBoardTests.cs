using System.Globalization;

namespace SpikeInit.Tests;

/// <summary><c>train --tensorboard</c>: the event files, read back with an independent reader, hold the run's numbers.</summary>
public sealed class TensorBoardTests() : TempFolderTest("spikeinit-tensorboard-")
{
    [Fact]
    public void Train_with_tensorboard_logs_iterations_epochs_rates_and_histograms_that_match_the_run()
    {
        string run = Path.Combine(dir, "run"), logs = Path.Combine(dir, "tb");
        var (code, _, err) = CliTests.Run("train", "--arch", "rossbroich-shallow", "--epochs", "2", "--max-batches", "2", "--out", run, "--tensorboard", logs, "--threads", "1");
        Assert.True(code == 0, err);
        var (values, versions) = TensorBoardEvents.Read(logs);
        Assert.Contains("brain.Event:2", versions);

        // per iteration: steps 1..4 (2 epochs × 2 batches) of loss, accuracy, learning rate and the hidden layer's rate
        foreach (string tag in (string[])["iteration/loss", "iteration/accuracy", "iteration/learning_rate", "iteration/firing_rate/hidden_1"])
            Assert.Equal([1L, 2, 3, 4], values.Where(v => v.Tag == tag).Select(v => v.Step));
        Assert.All(values.Where(v => v.Tag == "iteration/accuracy"), v => Assert.InRange(v.Scalar!.Value, 0, 1));
        Assert.All(values.Where(v => v.Tag == "iteration/firing_rate/hidden_1"), v => Assert.InRange(v.Scalar!.Value, 0, 1));

        // per epoch: the numbers of metrics.csv (float precision), at steps 0 and 1
        string[] header = File.ReadLines(Path.Combine(run, "metrics.csv")).First().Split(',');
        string[][] rows = [.. File.ReadLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(l => l.Split(','))];
        foreach (var (tag, column) in (ReadOnlySpan<(string, string)>)[("train_loss", "train_loss"), ("train_accuracy", "train_accuracy"), ("validation_accuracy", "val_accuracy"),
                                                                         ("test_loss", "test_loss"), ("learning_rate", "learning_rate"), ("firing_rate/hidden_1", "rate_layer_1")])
        {
            TensorBoardValue[] logged = [.. values.Where(v => v.Tag == "epoch/" + tag)];
            Assert.Equal([0L, 1], logged.Select(v => v.Step));
            for (int e = 0; e < 2; e++)
            {
                double expected = double.Parse(rows[e][Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(logged[e].Scalar!.Value - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{tag} epoch {e}: {logged[e].Scalar} vs {expected}");
            }
        }
        // the per-iteration loss averages to the epoch's train loss (all batches have the same size here)
        Assert.Equal(values.Single(v => v.Tag == "epoch/train_loss" && v.Step == 1).Scalar!.Value,
                     values.Where(v => v.Tag == "iteration/loss" && v.Step > 2).Average(v => v.Scalar!.Value), 1e-5);

        // histograms of every parameter and its gradient per epoch: counts are the parameter sizes, buckets sum to the count
        TensorBoardValue[] weights = [.. values.Where(v => v.Tag.StartsWith("weights/", StringComparison.Ordinal))];
        TensorBoardValue[] gradients = [.. values.Where(v => v.Tag.StartsWith("gradients/", StringComparison.Ordinal))];
        Assert.NotEmpty(weights);
        Assert.Equal(weights.Select(w => w.Tag[8..]).Order(), gradients.Select(g => g.Tag[10..]).Order());
        Assert.Equal(2, weights.Select(w => w.Step).Distinct().Count());
        Assert.All(weights.Concat(gradients), h =>
        {
            Assert.True(h.HistogramCount > 0, h.Tag);
            Assert.Equal(h.HistogramCount, h.BucketCounts.Sum(), 6);
            Assert.True(h.HistogramMin <= h.HistogramMax, h.Tag);
        });
        Assert.True(weights.Where(w => w.Step == 0).Zip(weights.Where(w => w.Step == 1)).Any(p => p.First.HistogramSum != p.Second.HistogramSum), "training changed the weights");
    }

    [Fact]
    public void A_tensorboard_folder_that_is_a_file_is_one_error_naming_the_option()
    {
        string file = Path.Combine(dir, "taken");
        File.WriteAllText(file, "x");
        var (code, _, err) = CliTests.Run("train", "--arch", "rossbroich-shallow", "--epochs", "1", "--max-batches", "1", "--out", Path.Combine(dir, "run"), "--tensorboard", file, "--threads", "1");
        Assert.Equal(2, code);
        Assert.Matches("^error: tensorboard = .*taken is a file, not a folder\n$", err);
        Assert.False(Directory.Exists(Path.Combine(dir, "run")), "a refused start leaves no run folder");
    }
}
