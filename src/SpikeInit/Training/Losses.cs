using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// Cross-entropy on the network's readout (which the architecture chooses: spike counts for Micheli and Ding, the
/// max-over-time membrane for Rossbroich, the mean membrane for Herranz-Celotti), with optional label smoothing ε:
/// <c>−(1 − ε)·log p_y − ε·mean_c log p_c</c>, averaged over the batch.
/// </summary>
public static class Losses
{
    /// <summary>The loss for logits <c>[B, C]</c> and labels <c>[B]</c>.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        Validate.InRange(labelSmoothing, "label_smoothing", 0, 1, highOpen: true);
        Tensor logp = logits.log_softmax(1);
        Tensor picked = logp.gather(1, labels.to(logits.device).view(-1, 1)).squeeze(1);   // labels come from the host
        Tensor loss = picked.Times(-(1 - labelSmoothing));
        if (labelSmoothing > 0) loss = loss.Minus(logp.mean([1]).Times(labelSmoothing));
        return loss.mean();
    }

    /// <summary>Fraction of correct argmax predictions.</summary>
    public static double Accuracy(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.argmax(1).eq(labels.to(logits.device)).to(ScalarType.Float64).mean().item<double>();
    }
}
