namespace SpikeInit.Data;

/// <summary>What a dataset's samples are, which decides how a network reads them.</summary>
public enum DataForm
{
    /// <summary>Static images, made into T steps of input by an <see cref="ImageEncoding"/>.</summary>
    Images,
    /// <summary>Recorded spike trains with their own time axis (SHD, SSC).</summary>
    Recordings,
    /// <summary>Generated spike trains (Randman).</summary>
    Synthetic,
    /// <summary>Address events of a DVS sensor, framed into T time bins (N-MNIST).</summary>
    Events,
}

/// <summary>
/// A dataset SpikeInit can train on, probe with and show: what it is (name, aliases, description, form, classes, sample
/// shape), whether it is on this machine (and where, or how to get it), and how it loads itself as training data or
/// shows its samples. <see cref="DataCatalog.Sources"/> lists the known ones; <see cref="DataCatalog.Resolve"/> turns a
/// name or a path into one.
/// </summary>
public interface IDatasetSource
{
    /// <summary>Name used on the command line.</summary>
    string Name { get; }

    /// <summary>Other names that resolve to this source.</summary>
    IReadOnlyList<string> Aliases { get; }

    /// <summary>What it is, in one line.</summary>
    string Description { get; }

    /// <summary>What the samples are.</summary>
    DataForm Form { get; }

    /// <summary>Whether it can be loaded now.</summary>
    bool Available { get; }

    /// <summary>Where it is on this machine, or (when not <see cref="Available"/>) how to get it.</summary>
    string Location { get; }

    /// <summary>The batch size of the dataset's reference training (spike datasets), or null to use the network preset's.</summary>
    int? ReferenceBatch { get; }

    /// <summary>Number of classes (may read the data).</summary>
    int Classes { get; }

    /// <summary>Shape of one sample at one time step: <c>[channels, height, width]</c> for images and events, <c>[units]</c> for spike trains (may read the data).</summary>
    long[] SampleShape { get; }

    /// <summary>The same kind of data read from another file or folder (<c>--data-dir</c>).</summary>
    IDatasetSource At(string location);

    /// <summary>The dataset as training, validation and test batches, made the way <paramref name="request"/> asks.</summary>
    ITrainingData Load(DataRequest request);

    /// <summary>Counts per split and class, a line of details, and a picture of some samples written to <paramref name="picture"/>
    /// (generated datasets use <paramref name="seed"/>).</summary>
    DatasetOverview Show(string picture, ulong seed);
}
