using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>An i.i.d. (or row-normalized) weight distribution with known mean and standard deviation.</summary>
public abstract record WeightDistribution
{
    /// <summary>E[w].</summary>
    public abstract double Mean { get; }

    /// <summary>Std[w] (for row-normalized weights: √(E[w²] − E[w]²) over the ensemble).</summary>
    public abstract double Std { get; }

    /// <summary>E[w²].</summary>
    public double SecondMoment => Std * Std + Mean * Mean;

    /// <summary>Short description, e.g. <c>N(0, 0.0447²)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Fills <paramref name="weight"/> in place (call under no_grad).</summary>
    public void Fill(Tensor weight, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.device_type == TorchSharp.DeviceType.CPU) DrawChecked(weight, generator);
        else
        {
            using Tensor host = empty(weight.shape, weight.dtype);   // drawn on the host: a seed gives the same weights on every device
            DrawChecked(host, generator);
            weight.copy_(host);
        }
    }

    private void DrawChecked(Tensor weight, Generator? generator)
    {
        Draw(weight, generator);
        if (!weight.isfinite().all().item<bool>())
            throw new InvalidOperationException($"drawing {Description} produced non-finite weights");
    }

    /// <summary>Draws into the tensor.</summary>
    protected abstract void Draw(Tensor weight, Generator? generator);

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>Formats a number for descriptions.</summary>
    protected static string F(double x) => Validate.Format(x);
}
