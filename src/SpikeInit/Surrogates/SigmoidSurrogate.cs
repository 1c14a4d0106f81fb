using TorchSharp;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Surrogates;

/// <summary>Sigmoid-like surrogate (Ding Table A3): <c>h = σ(a x)</c>, <c>h' = a h (1 − h)</c>. Peak a/4, area 1.</summary>
public sealed record SigmoidSurrogate(double A = 2.0) : SlopeSurrogate(A, "sigmoid", peakPerA: 0.25)
{
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x)
    {
        var h = torch.sigmoid(x.Times(A));
        return (h * OneMinus(h)).Times(A);
    }

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float a = (float)A;
        Map(x, result, v => { float h = 1f / (1f + MathF.Exp(-(v * a))); return h * (1f - h) * a; });
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => torch.sigmoid(x.Times(A));
}
