using static TorchSharp.torch;

namespace SpikeInit.Surrogates;

/// <summary>
/// Hardtanh-like surrogate (Ding Table A3): <c>h = clip(a x + 1/2, 0, 1)</c>, <c>h' = a·[|x| &lt; 1/(2a)]</c>
/// (strict: 0 at the boundary). Peak a, area 1.
/// </summary>
public sealed record HardTanh(double A = 1.0) : SlopeSurrogate(A, "hardtanh", peakPerA: 1)
{
    /// <inheritdoc />
    public override Tensor Derivative(Tensor x) => x.abs().LessThan(0.5 / A).to(x.dtype).Times(A);

    /// <inheritdoc />
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result)
    {
        float width = (float)(0.5 / A), a = (float)A;
        Map(x, result, v => MathF.Abs(v) < width ? a : 0f);
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => x.Times(A).Plus(0.5).Clamp(0, 1);
}
