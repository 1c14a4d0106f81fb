using SpikeInit.Data;

namespace SpikeInit.Tests;

public class RandmanTests
{
    [Fact]
    public void Manifold_formula_matches_the_spec_vector()
    {
        Assert.Equal(0.0652002, Randman.Manifold(0.37, [0.0, 0.5, 0.25], [0.3, 0.6, 0.9], [0.1, 0.2, 0.3], 1.0), 6);
        Assert.Equal(1000, Randman.Terms(1));
        Assert.Equal(32, Randman.Terms(2));
    }

    [Fact]
    public void Paper_defaults_are_reproducible_bit_for_bit_with_one_spike_per_unit_in_the_first_half()
    {
        var p = new RandmanParameters { SamplesPerClass = 100 };   // smaller P keeps the test fast; the algorithm is the same
        var (train, valid, test) = Randman.Generate(p);
        var (train2, _, _) = Randman.Generate(p);
        Assert.Equal((800, 100, 100), (train.Count, valid.Count, test.Count));
        Assert.True(train.Rasters.Zip(train2.Rasters).All(x => x.First.AsSpan().SequenceEqual(x.Second)));
        Assert.Equal(train.Labels, train2.Labels);
        foreach (byte[] r in train.Rasters)
        {
            for (int u = 0; u < 20; u++) Assert.Equal(1, Enumerable.Range(0, 100).Sum(t => r[t * 20 + u]));
            Assert.True(Enumerable.Range(50, 50).All(t => Enumerable.Range(0, 20).All(u => r[t * 20 + u] == 0)), "silent second half");
        }
        Assert.Equal(5.0, train.MeanRateHz(), 9);
        var (other, _, _) = Randman.Generate(p with { Seed = 2 });
        Assert.False(train.Rasters[0].AsSpan().SequenceEqual(other.Rasters[0]));
        // a pinned FNV-1a checksum of the generated rasters and labels: the RNG is portable; the only platform input is
        // Math.Sin, whose last-ulp differences could move a spike only if it fell exactly on a bin edge
        ulong hash = 14695981039346656037UL;
        foreach (byte[] r in train.Rasters) foreach (byte b in r) hash = (hash ^ b) * 1099511628211UL;
        foreach (byte l in train.Labels) hash = (hash ^ l) * 1099511628211UL;
        Assert.Equal(12042105471854900791UL, hash);
    }

    [Fact]
    public void Portable_random_is_stable()
    {
        var r = new PortableRandom(42);
        ulong first = r.NextUInt64();
        Assert.Equal(first, new PortableRandom(42).NextUInt64());
        double[] xs = [.. Enumerable.Range(0, 100000).Select(_ => r.NextDouble())];
        Assert.InRange(xs.Average(), 0.495, 0.505);
        Assert.True(xs.All(x => x is >= 0 and < 1));
        int[] perm = new PortableRandom(1).Permutation(50);
        Assert.Equal(Enumerable.Range(0, 50), perm.Order());
    }
}
