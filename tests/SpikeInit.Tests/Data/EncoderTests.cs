using SpikeInit.Data;

namespace SpikeInit.Tests;

public class EncoderTests
{
    [Fact]
    public void Latency_fires_once_brighter_first_and_not_below_threshold()
    {
        // 0.21 would fire at 50·ln(0.21/0.01) = 152, after the window; 0.1 is below the threshold
        Tensor x = tensor(new[] { 1.0, 0.5, 0.25, 0.1, 0.21 }).unsqueeze(0);
        Tensor s = Encoders.Latency(x, steps: 100);
        Assert.Equal(new long[] { 100, 1, 5 }, s.shape);
        double[] counts = T.Array(s.sum(dim: 0).squeeze(0));
        Assert.Equal([1, 1, 1, 0, 0], counts);
        long Time(int i) => s[.., 0, i].argmax().item<long>();
        Assert.Equal((long)Math.Round(50 * Math.Log(1 / 0.8)), Time(0));
        Assert.Equal((long)Math.Round(50 * Math.Log(0.5 / 0.3)), Time(1));
        Assert.True(Time(0) < Time(1) && Time(1) < Time(2));
    }

    [Fact]
    public void Retina_emits_floor_of_t_times_x_on_and_the_complement_off()
    {
        Tensor s = Encoders.Retina(tensor(new[] { 0.25, 1.0, 0.0 }).unsqueeze(0), 8);
        Assert.Equal(new long[] { 8, 1, 2, 3 }, s.shape);
        Assert.Equal([2, 8, 0], T.Array(s[.., 0, 0].sum(dim: 0)));
        Assert.Equal([6, 0, 8], T.Array(s[.., 0, 1].sum(dim: 0)));
    }

    [Fact]
    public void Poisson_rate_and_constant_current()
    {
        using var g = new Generator(3);
        Tensor s = Encoders.Poisson(full(new long[] { 50, 100 }, 0.3), 200, g);
        Assert.Equal(0.3, s.mean().item<float>(), 2);
        Tensor c = Encoders.ConstantCurrent(tensor(new[] { -1.5, 2.0 }).unsqueeze(0), 4);
        Assert.Equal(new long[] { 4, 1, 2 }, c.shape);
        Assert.Equal(-1.5, c[3, 0, 0].item<double>());
        Assert.Contains("gain", Assert.Throws<ArgumentOutOfRangeException>(() => Encoders.Poisson(zeros(2), 3, gain: 2)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_cover_every_item_once_in_a_seeded_order_and_standardize()
    {
        var set = new ImageSet("t", [.. Enumerable.Range(0, 10 * 4).Select(i => (byte)(i * 6))], [.. Enumerable.Range(0, 10).Select(i => (byte)(i % 3))], 10, 2, 2, 3);
        var batches = Batches.Images(set, 4, shuffleSeed: 7, Normalization.Standardized).ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => (int)b.Y.shape[0]));
        Tensor all = cat(batches.Select(b => b.X).ToList(), 0);
        Assert.Equal(0, all.mean().item<float>(), 4);
        Assert.Equal(1, all.std(false).item<float>(), 3);
        var again = Batches.Images(set, 4, shuffleSeed: 7).Select(b => T.Array(b.Y)).SelectMany(y => y).ToArray();
        Assert.Equal(batches.SelectMany(b => T.Array(b.Y)), again);
        var (train, valid) = Batches.Split(set, 0.2, 1);
        Assert.Equal((8, 2), (train.Count, valid.Count));
        var spikes = Batches.Spikes(Randman.Generate(new RandmanParameters { SamplesPerClass = 10 }).Train, 16, 3).First();
        Assert.Equal(new long[] { 100, 16, 20 }, spikes.X.shape);
    }
}
