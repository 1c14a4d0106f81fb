namespace SpikeInit.Data;

/// <summary>What <c>spikeinit data show</c> prints about a dataset.</summary>
/// <param name="Splits">Samples per split and class.</param>
/// <param name="Details">One line: time steps, channels or pixels, rates or pixel statistics, where it came from.</param>
/// <param name="Picture">The picture of samples written (null: none for this form of data).</param>
public sealed record DatasetOverview(IReadOnlyList<SplitCounts> Splits, string Details, string? Picture);

/// <summary>Samples of one split, in all and per class.</summary>
/// <param name="Name">Split name.</param>
/// <param name="Count">Samples.</param>
/// <param name="PerClass">Samples per class.</param>
public sealed record SplitCounts(string Name, int Count, IReadOnlyList<int> PerClass);
