using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>
/// Training data whose every input time step is presented <see cref="Repeat"/> times in a row (Herranz-Celotti &amp;
/// Rouat's <c>timerepeat</c>: "each input step presented twice"): a sequence <c>[T, B, ...]</c> becomes
/// <c>[T·N, B, ...]</c> with <c>x'_{tN+k} = x_t</c> for k &lt; N; a static input, the same at every step, is presented for
/// N times its steps. Labels, splits and batch order are the inner data's.
/// </summary>
public sealed class TimeRepeatedData : ITrainingData
{
    private TimeRepeatedData(ITrainingData inner, int repeat)
    {
        Inner = inner;
        Repeat = repeat;
    }

    /// <summary><paramref name="data"/> with each step presented <paramref name="repeat"/> times (itself when 1).</summary>
    public static ITrainingData Of(ITrainingData data, int repeat)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate.AtLeast(repeat, "timerepeat", 1);
        return repeat == 1 ? data : new TimeRepeatedData(data, repeat);
    }

    /// <summary>The data as loaded (its statistics per step are the repeated data's too).</summary>
    public ITrainingData Inner { get; }

    /// <summary>How many times each step is presented (≥ 2).</summary>
    public int Repeat { get; }

    /// <inheritdoc />
    public string Name => Inner.Name;
    /// <inheritdoc />
    public int Classes => Inner.Classes;
    /// <inheritdoc />
    public int TrainCount => Inner.TrainCount;
    /// <inheritdoc />
    public int? Steps => Inner.Steps * Repeat;

    /// <inheritdoc />
    public int RunSteps => Inner.RunSteps * Repeat;
    /// <inheritdoc />
    public long[] InputShape => Inner.InputShape;
    /// <inheritdoc />
    public int BatchSize => Inner.BatchSize;
    /// <inheritdoc />
    public string Splits => Inner.Splits;

    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Train(int epoch) => Repeated(Inner.Train(epoch));
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Validation() => Repeated(Inner.Validation());
    /// <inheritdoc />
    public IEnumerable<(Tensor X, Tensor Y)> Test() => Repeated(Inner.Test());

    private IEnumerable<(Tensor X, Tensor Y)> Repeated(IEnumerable<(Tensor X, Tensor Y)> batches) =>
        batches.Select(b => (Inner.Steps is null ? b.X.repeat_interleave(Repeat, 0) : b.X, b.Y));
}
