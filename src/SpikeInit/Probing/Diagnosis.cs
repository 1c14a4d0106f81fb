using System.Globalization;
using SpikeInit.Layers;
using SpikeInit.Networks;
using static TorchSharp.torch;

namespace SpikeInit.Probing;

/// <summary>
/// Diagnoses a spiking network on one labelled batch: one forward pass over all T steps recording every spiking layer
/// (measured with <see cref="LayerActivity"/>: rate over time, silent and saturated fractions, membrane mean and σ), one
/// backward pass of cross-entropy on the network's readout with the batch's labels (the mean surrogate derivative
/// σ′(u − θ) at the recorded membranes and ‖∂L/∂W‖ per layer), the first silent hidden layer, and a
/// <see cref="Recommendation"/> backed by those numbers.
/// </summary>
/// <remarks>
/// Definitions. Hidden layers are all spiking blocks except the network's last (the readout layer is reported but never
/// "first silent"). A hidden layer is <b>silent</b> when at least <see cref="DiagnosisOptions.SilentThreshold"/> (0.99) of
/// its (sample, neuron) pairs emit no spike over the whole run, or it emits no spike at all; <b>saturated</b> when at least
/// <see cref="DiagnosisOptions.SaturatedThreshold"/> (0.5) of them spike at every step; its surrogate derivative
/// <b>vanishes</b> when the mean of σ′(u − θ) is below <see cref="DiagnosisOptions.VanishingSurrogate"/> (1 %) of σ′(0).
/// The first finding in the order silent, saturated, vanishing decides the recommendation. Its fix is
/// <c>--calibrate rate:R</c> (<see cref="Initialization.Calibration"/>: every hidden layer brought to R within 10 %), R the
/// first spiking layer's measured rate clipped to [0.02, 0.3] — the rate the network's input already produces — and, as
/// an alternative, the architecture's default initialization when it differs from the one used. The network's weights are
/// left as they were; its gradients are zeroed afterwards.
/// </remarks>
public static class Diagnosis
{
    private const double LowestTarget = 0.02, HighestTarget = 0.3;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Diagnoses <paramref name="network"/> on <paramref name="input"/> (a batch as <see cref="SpikingNetwork.Run"/> takes it,
    /// static inputs presented for <paramref name="steps"/> steps) with <paramref name="labels"/> <c>[B]</c>.
    /// </summary>
    public static DiagnosisResult Run(SpikingNetwork network, Tensor input, Tensor labels, int? steps, DiagnosisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(labels);
        DiagnosisOptions o = (options ?? new DiagnosisOptions()).Validated();
        using var scope = NewDisposeScope();
        network.zero_grad();
        NetworkRun run = network.Run(input, steps, Recording.All);
        if (run.Layers.Count == 0) throw new ArgumentException("diagnose needs a network with at least one spiking layer");
        if (run.Output.dim() != 2 || labels.dim() != 1 || labels.shape[0] != run.Output.shape[0])
            throw new ArgumentException($"diagnose needs a readout [B, classes] and labels [B]; the network gives [{string.Join(", ", run.Output.shape)}] "
                                        + $"for labels [{string.Join(", ", labels.shape)}] (use a spike-count, max- or mean-over-time readout)");
        long classes = run.Output.shape[1];
        if (labels.numel() > 0 && (labels.min().item<long>() < 0 || labels.max().item<long>() >= classes))
            throw new ArgumentException($"diagnose: the labels lie in [{labels.min().item<long>()}, {labels.max().item<long>()}] but the network has {classes} outputs");
        Tensor loss = nn.functional.cross_entropy(run.Output, labels.to(ScalarType.Int64).to(run.Output.device));
        loss.backward();
        var layers = new List<LayerDiagnosis>();
        using (no_grad())
        {
            int last = network.Blocks.Count - 1;
            foreach (LayerRecord record in run.Layers)
                layers.Add(Measure(record, network.Blocks[record.Index], record.Index != last));
        }
        network.zero_grad();
        int? firstSilent = layers.FirstOrDefault(l => l.Hidden && IsSilent(l, o))?.Layer;
        int batch = (int)run.Output.shape[0];
        return new DiagnosisResult(layers, layers[0].Rate.Length, batch, loss.item<float>(), firstSilent,
                                   layers.FirstOrDefault(l => l.Hidden && l.Rate.All(r => r == 0))?.Layer, Recommend(layers, firstSilent, o));
    }

    /// <summary>Whether a layer counts as silent under <paramref name="options"/>.</summary>
    public static bool IsSilent(LayerDiagnosis layer, DiagnosisOptions options)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(options);
        return layer.SilentFraction >= options.SilentThreshold || layer.Rate.All(r => r == 0);
    }

    private static LayerDiagnosis Measure(LayerRecord record, Block block, bool hidden)
    {
        LayerActivity a = LayerActivity.Measure(record.Spikes!, record.Membrane);
        double mean = double.NaN, std = double.NaN, surrogate = double.NaN;
        double theta = record.Neuron.Threshold;
        if (a.MembraneMean is { } means && a.MembraneVariance is { } variances)
        {
            // all steps hold the same number of values: total variance = mean within-step variance + variance of the step means
            mean = means.Average();
            double m = mean;
            std = Math.Sqrt(variances.Average() + means.Average(x => (x - m) * (x - m)));
            surrogate = record.Neuron.Surrogate.Derivative(record.Membrane!.Minus(theta)).to(ScalarType.Float64).mean().item<double>();
        }
        Tensor[] grads = [.. block.named_parameters().Where(p => p.name is "weight" or "recurrent_weight").Select(p => p.parameter.grad).OfType<Tensor>()];
        bool weighted = block.named_parameters().Any(p => p.name is "weight" or "recurrent_weight");
        double norm = !weighted ? double.NaN : Math.Sqrt(grads.Sum(g => g.to(ScalarType.Float64).square().sum().item<double>()));
        var s = record.Neuron.Surrogate;
        return new LayerDiagnosis(record.Index, record.Name, hidden, theta, a.Rate, a.SilentFraction, a.Saturated[^1], mean, std, surrogate,
                                  s.Peak, s.Area / s.Peak, norm);
    }

    private static Recommendation Recommend(List<LayerDiagnosis> layers, int? firstSilent, DiagnosisOptions o)
    {
        LayerDiagnosis first = layers[0];
        double target = double.Parse(Math.Clamp(first.MeanRate, LowestTarget, HighestTarget).ToString("G2", Inv), Inv);
        string value = "rate:" + target.ToString("G", Inv);
        string? alternative = o.DefaultInit is { } d && !string.Equals(d, o.Init, StringComparison.OrdinalIgnoreCase) ? d : null;
        string whose = o.Init is null ? "the weights" : $"{o.Init}'s weights";
        string fix = $"calibrate with --calibrate {value} (the rate of layer {first.Label}, {G(first.MeanRate)}"
                     + (target != double.Parse(first.MeanRate.ToString("G2", Inv), Inv) ? $", clipped to [{G(LowestTarget)}, {G(HighestTarget)}]" : "") + ")"
                     + (alternative is null ? "" : $" or initialize with --init {alternative}");
        var hidden = layers.Where(l => l.Hidden).ToList();
        if (firstSilent is { } s)
        {
            LayerDiagnosis l = layers.First(x => x.Layer == s);
            double top = l.MembraneMean + 3 * l.MembraneStd;
            string why = double.IsFinite(top) && top < l.Threshold
                ? $"its membrane mean {G(l.MembraneMean)} + 3σ ({G(l.MembraneStd)}) = {G(top)} stays below θ = {G(l.Threshold)}: {whose} are too small for θ = {G(l.Threshold)}"
                : $"its membrane (mean {G(l.MembraneMean)}, σ {G(l.MembraneStd)}) rarely reaches θ = {G(l.Threshold)}: {whose} drive it too weakly";
            int silentCount = hidden.Count(x => IsSilent(x, o));
            return new Recommendation(RecommendationKind.Silent, s,
                $"layer {l.Label} is silent: {l.SilentFraction:P1} of its neurons never spike in {l.Rate.Length} steps (rate {G(l.MeanRate)}); {why}; "
                + $"{silentCount} of {hidden.Count} hidden layers are silent, the weight-gradient norm is {G(l.GradientNorm)} here and the mean surrogate derivative "
                + $"{G(l.SurrogateMean)}. Fix: {fix}.", "--calibrate", value, alternative);
        }
        if (hidden.FirstOrDefault(l => l.SaturatedFraction >= o.SaturatedThreshold) is { } sat)
            return new Recommendation(RecommendationKind.Saturated, sat.Layer,
                $"layer {sat.Label} is saturated: {sat.SaturatedFraction:P1} of its neurons spike at every one of {sat.Rate.Length} steps (rate {G(sat.MeanRate)}, "
                + $"membrane mean {G(sat.MembraneMean)}, σ {G(sat.MembraneStd)}, θ = {G(sat.Threshold)}): {whose} are too large and the spikes carry no information. "
                + $"Fix: smaller weights — {fix}.", "--calibrate", value, alternative);
        if (hidden.FirstOrDefault(l => l.SurrogateMean < o.VanishingSurrogate * l.SurrogatePeak) is { } van)
            return new Recommendation(RecommendationKind.VanishingSurrogate, van.Layer,
                $"layer {van.Label}: the mean surrogate derivative {G(van.SurrogateMean)} is {van.SurrogateMean / van.SurrogatePeak:P2} of its peak "
                + $"{G(van.SurrogatePeak)}: the membranes (mean {G(van.MembraneMean)}, σ {G(van.MembraneStd)}) sit far from θ = {G(van.Threshold)} for the surrogate's "
                + $"width {G(van.SurrogateWidth)}. Use a wider surrogate (width ≈ |mean − θ| + σ = {G(Math.Abs(van.MembraneMean - van.Threshold) + van.MembraneStd)}, "
                + $"about {G((Math.Abs(van.MembraneMean - van.Threshold) + van.MembraneStd) / van.SurrogateWidth)}× wider) or bring the membranes to θ: {fix}.",
                "--calibrate", value, alternative);
        return new Recommendation(RecommendationKind.Healthy, null,
            $"no hidden layer is silent (largest silent fraction {G(hidden.Select(l => l.SilentFraction).DefaultIfEmpty(0).Max())}) or saturated "
            + $"(largest saturated fraction {G(hidden.Select(l => l.SaturatedFraction).DefaultIfEmpty(0).Max())}); hidden rates "
            + $"{G(hidden.Select(l => l.MeanRate).DefaultIfEmpty(0).Min())} … {G(hidden.Select(l => l.MeanRate).DefaultIfEmpty(0).Max())}, smallest surrogate derivative "
            + $"{hidden.Select(l => l.SurrogateMean / l.SurrogatePeak).DefaultIfEmpty(1).Min():P1} of its peak: nothing to fix.", null, null, null);
    }

    private static string G(double x) => double.IsFinite(x) ? x.ToString("G3", Inv) : "-";
}
