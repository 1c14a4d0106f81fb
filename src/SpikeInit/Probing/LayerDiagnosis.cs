namespace SpikeInit.Probing;

/// <summary>
/// What <see cref="Diagnosis"/> measured in one spiking layer on one batch: its activity over the run (from
/// <see cref="Networks.LayerActivity"/>), its membrane statistics, the mean surrogate derivative at the recorded membranes
/// and the Frobenius norm of its weight gradient after one backward pass.
/// </summary>
/// <param name="Layer">Block index in the network (the numbering of <c>calibrate</c> and of the probe with dataset input).</param>
/// <param name="Name">Block name.</param>
/// <param name="Hidden">Whether the layer counts for the first silent layer: every spiking block except the network's last.</param>
/// <param name="Threshold">The neurons' threshold θ.</param>
/// <param name="Rate">Firing rate per step (spikes per neuron and step, over the batch).</param>
/// <param name="SilentFraction">Fraction of (sample, neuron) pairs without any spike over the run.</param>
/// <param name="SaturatedFraction">Fraction of (sample, neuron) pairs that spiked at every step.</param>
/// <param name="MembraneMean">Membrane mean over steps, samples and neurons.</param>
/// <param name="MembraneStd">Membrane standard deviation over steps, samples and neurons (√ of the mean per-step variance).</param>
/// <param name="SurrogateMean">Mean surrogate derivative σ′(u − θ) over steps, samples and neurons.</param>
/// <param name="SurrogatePeak">The surrogate's peak derivative σ′(0).</param>
/// <param name="SurrogateWidth">The surrogate's width, area / peak (in membrane units).</param>
/// <param name="GradientNorm">‖∂L/∂W‖ (feed-forward and recurrent weights together; 0 when no gradient reached the layer).</param>
public sealed record LayerDiagnosis(int Layer, string Name, bool Hidden, double Threshold, double[] Rate, double SilentFraction, double SaturatedFraction,
                                    double MembraneMean, double MembraneStd, double SurrogateMean, double SurrogatePeak, double SurrogateWidth,
                                    double GradientNorm)
{
    /// <summary>Mean firing rate over the run.</summary>
    public double MeanRate => Rate.Average();

    /// <summary>The layer's index, and its name when that differs (blocks are usually named by their index).</summary>
    public string Label => Name == Layer.ToString(System.Globalization.CultureInfo.InvariantCulture) ? Name : $"{Layer} {Name}";
}
