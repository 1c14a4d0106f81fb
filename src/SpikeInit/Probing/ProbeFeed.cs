using SpikeInit.Data;
using SpikeInit.Initialization;
using static TorchSharp.torch;

namespace SpikeInit.Probing;

/// <summary>
/// What a probe feeds its network, repeat by repeat, and the statistics of that input for the initializer: a constant
/// N(0, 1) current, Poisson spike trains, or batches of an image dataset. Dataset batches are read through the dataset
/// registry (<see cref="IDatasetSource.Load"/>) as <c>micheli-mlp</c> reads them — flattened, pixels standardized with the
/// training split's pixel mean and std, constant over the T steps; repeat r takes the first batch of training epoch r (its
/// own seeded shuffle). Their statistics are measured: the mean and variance of the standardized pixels of the first
/// <see cref="StatisticsSamples"/> training samples.
/// </summary>
internal sealed class ProbeFeed
{
    /// <summary>Samples whose pixels give the measured input statistics of a dataset.</summary>
    public const int StatisticsSamples = 1024;

    private readonly ProbeConfiguration configuration;
    private readonly ITrainingData? data;

    public ProbeFeed(ProbeConfiguration configuration, long seed)
    {
        this.configuration = configuration;
        if (configuration.Input != ProbeInput.Dataset)
        {
            Statistics = configuration.InputStatistics();
            return;
        }
        IDatasetSource source = configuration.Dataset!;
        data = source.Load(Request(configuration.Batch, configuration.Steps, seed));
        Statistics = Measure(source.Load(Request(StatisticsSamples, configuration.Steps, seed)));
    }

    /// <summary>Statistics of the input, for the initializer (measured for a dataset).</summary>
    public InputStatistics Statistics { get; }

    /// <summary>The input <c>[T, B, inputs]</c> of repeat <paramref name="repeat"/>, at most <paramref name="batch"/> samples.</summary>
    public Tensor Next(int repeat, int batch, Generator generator)
    {
        ProbeConfiguration c = configuration;
        switch (c.Input)
        {
            case ProbeInput.Gaussian:
                return randn([batch, c.Width], generator: generator).expand(c.Steps, batch, c.Width);
            case ProbeInput.Poisson:
                return rand([c.Steps, batch, c.Width], generator: generator).LessThan(c.InputProbability).to(ScalarType.Float32);
            default:
                Tensor x = data!.Train(repeat).First().X;
                long b = Math.Min(batch, x.shape[0]);
                Tensor images = x.narrow(0, 0, b);
                return images.expand(c.Steps, b, images.shape[1]);
        }
    }

    private static DataRequest Request(int batch, int steps, long seed) => new()
    {
        BatchSize = batch, Seed = (ulong)seed, Encoding = ImageEncoding.Constant, Steps = steps,
        Normalization = Normalization.Standardized, Flatten = true,
    };

    private static InputStatistics Measure(ITrainingData data)
    {
        using var scope = NewDisposeScope();
        Tensor x = data.Train(0).First().X.to(ScalarType.Float64);
        double mean = x.mean().item<double>();
        return InputStatistics.Gaussian(mean, Math.Max(x.square().mean().item<double>() - mean * mean, 0)); // population variance
    }
}
