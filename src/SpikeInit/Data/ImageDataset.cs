namespace SpikeInit.Data;

/// <summary>Train and test splits of an image dataset, with where it came from.</summary>
/// <param name="Train">Training split.</param>
/// <param name="Test">Test split.</param>
/// <param name="Source">Folder or package the files came from.</param>
public sealed record ImageDataset(ImageSet Train, ImageSet Test, string Source);
