using TorchSharp;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Surrogates;

/// <summary>Tanh-like surrogate (Ding Table A3): <c>h = tanh(a x)/2 + 1/2</c>, <c>h' = (a/2)(1 − tanh²(a x))</c>. Peak a/2, area 1.</summary>
public sealed record TanhSurrogate(double A = 2.0) : SlopeSurrogate(A, "tanh", peakPerA: 0.5)
{
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x) => OneMinus(torch.tanh(x.Times(A)).square()).Times(A / 2);

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float a = (float)A, half = (float)(A / 2);
        Map(x, result, v => { float t = MathF.Tanh(v * a); return (1f - t * t) * half; });
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => torch.tanh(x.Times(A)).Times(0.5).Plus(0.5);
}
