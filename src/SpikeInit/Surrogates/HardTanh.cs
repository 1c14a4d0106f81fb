using System.Numerics;
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
    public override void Derivative(ReadOnlySpan<float> x, Span<float> result) => Lanes.Map(x, result, new HostDerivative((float)(0.5 / A), (float)A));

    /// <summary><c>a·[|x| &lt; width]</c> in float32, scalar and vector.</summary>
    private readonly struct HostDerivative(float width, float a) : Lanes.IFunction
    {
        public float Apply(float x) => MathF.Abs(x) < width ? a : 0f;

        public Vector<float> Apply(Vector<float> x) =>
            Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<float>(width)), new Vector<float>(a), Vector<float>.Zero);
    }
    /// <inheritdoc />
    public override Tensor Primitive(Tensor x) => x.Times(A).Plus(0.5).Clamp(0, 1);
}
