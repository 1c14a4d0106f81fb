using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace SpikeInit.Interop;

/// <summary>
/// Builds the HDF5 objects of a NIR file as the reference writer (neuromorphs/NIR <c>nir/serialization.py</c>, h5py)
/// lays them out: strings (<c>version</c>, <c>type</c>, metadata text) as scalar variable-length string datasets; numpy
/// arrays as chunked, gzip-compressed datasets of their own dtype (float32 weights, float64 neuron parameters, int64
/// shapes); Python ints (<c>groups</c>, <c>start_dim</c>, <c>end_dim</c>) and tuples (<c>stride</c>, <c>padding</c>,
/// <c>dilation</c>) as uncompressed int64 datasets; edges as an <c>(E, 2)</c> variable-length string dataset.
/// </summary>
internal static class NirWriter
{
    private static H5DatasetCreation Gzip => new(Filters: [DeflateFilter.Id]);

    /// <summary>A numpy-array parameter: chunked (one chunk) and deflate-compressed, as h5py with <c>compression="gzip"</c>.</summary>
    public static H5Dataset Array<T>(T[] values, long[] shape) where T : unmanaged =>
        shape.Length == 0 || values.Length == 0
            ? new H5Dataset(values, fileDims: [.. shape.Select(s => (ulong)s)])
            : new H5Dataset(values, chunks: [.. shape.Select(s => (uint)s)], fileDims: [.. shape.Select(s => (ulong)s)], datasetCreation: Gzip);

    /// <summary>One value per neuron of a layer of <paramref name="shape"/>, float64.</summary>
    public static H5Dataset PerNeuron(double value, long[] shape) =>
        Array(Enumerable.Repeat(value, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray(), shape);

    /// <summary>A tuple of ints (stride, padding, dilation), int64 and uncompressed.</summary>
    public static H5Dataset Tuple(params long[] values) => new(values, fileDims: [(ulong)values.Length]);

    /// <summary>The edges as an <c>(E, 2)</c> string dataset.</summary>
    public static H5Dataset Edges(IReadOnlyList<(string From, string To)> edges) =>
        new(edges.SelectMany(e => new[] { e.From, e.To }).ToArray(), fileDims: [(ulong)edges.Count, 2]);

    /// <summary>A node group with its <c>type</c> string.</summary>
    public static H5Group Node(string type) => new() { ["type"] = type };
}
