namespace SpikeInit.Probing;

/// <summary>The diagnosis of a network on one batch.</summary>
/// <param name="Layers">Every spiking layer in order.</param>
/// <param name="Steps">Time steps of the run.</param>
/// <param name="Batch">Samples in the batch.</param>
/// <param name="Loss">The cross-entropy of the backward pass.</param>
/// <param name="FirstSilentLayer">Block index of the first silent hidden layer, or null.</param>
/// <param name="FirstSpikelessLayer">Block index of the first hidden layer without any spike in the batch and run (the probe's collapse), or null.</param>
/// <param name="Recommendation">What to do, with the numbers behind it.</param>
public sealed record DiagnosisResult(IReadOnlyList<LayerDiagnosis> Layers, int Steps, int Batch, double Loss, int? FirstSilentLayer,
                                     int? FirstSpikelessLayer, Recommendation Recommendation);
