using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>Adam / AdamW: <c>m = β₁m + (1−β₁)g</c>, <c>v = β₂v + (1−β₂)g²</c>, <c>p −= lr·m̂/(√v̂ + ε)</c>.</summary>
public sealed class AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, bool decoupled = false,
                                  double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["m", "v"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        double c1 = 1 - Math.Pow(beta1, Steps), c2 = 1 - Math.Pow(beta2, Steps);
        if (HostAdam.Supports(p, g))
        {
            HostAdam.Step(p, g, Slot("m", i), Slot("v", i), new HostAdam.Settings(LearningRate, WeightDecay, decoupled, beta1, beta2, epsilon, c1, c2));
            return;
        }
        if (WeightDecay > 0)
        {
            if (decoupled) p.TimesInPlace(1 - LearningRate * WeightDecay);
            else g = g.Plus(p.Times(WeightDecay));
        }
        Tensor m = Slot("m", i).TimesInPlace(beta1).PlusScaledInPlace(g, 1 - beta1);
        Tensor v = Slot("v", i).TimesInPlace(beta2).PlusProductInPlace(g, g, 1 - beta2);
        p.MinusInPlace((m.Over(c1) / v.Over(c2).sqrt().Plus(epsilon)).Times(LearningRate));
    }
}

/// <summary>
/// <see cref="AdamOptimizer"/>'s update as one pass over parameter, gradient and both moments (float32 CPU tensors):
/// the same formulas, in the same order, as the tensor path, which runs eight passes.
/// </summary>
internal static class HostAdam
{
    /// <summary>Hyper-parameters and bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ of one step.</summary>
    internal readonly record struct Settings(double LearningRate, double WeightDecay, bool Decoupled, double Beta1, double Beta2,
                                             double Epsilon, double C1, double C2);

    /// <summary>Whether parameter and gradient suit the host kernel (contiguous float32 on the CPU).</summary>
    public static bool Supports(Tensor p, Tensor g) =>
        p.dtype == ScalarType.Float32 && g.dtype == ScalarType.Float32 && p.device_type == TorchSharp.DeviceType.CPU
        && g.device_type == TorchSharp.DeviceType.CPU && p.is_contiguous() && g.is_contiguous() && p.numel() <= int.MaxValue;

    /// <summary>Updates <paramref name="p"/>, <paramref name="m"/> and <paramref name="v"/> in place.</summary>
    public static void Step(Tensor p, Tensor g, Tensor m, Tensor v, Settings s)
    {
        Runtime.FloatView pv = new(p), gv = new(g), mv = new(m), vv = new(v);
        Runtime.HostKernel.ForChunks(pv.Length, 1, (start, end) =>
            Update(pv.Slice(start, end - start), gv.Slice(start, end - start), mv.Slice(start, end - start), vv.Slice(start, end - start), s));
        GC.KeepAlive(g);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Update(Span<float> pp, Span<float> gg, Span<float> mm, Span<float> ww, Settings s)
    {
        float b1 = (float)s.Beta1, b2 = (float)s.Beta2, a1 = (float)(1 - s.Beta1), a2 = (float)(1 - s.Beta2);
        float c1 = (float)s.C1, c2 = (float)s.C2, eps = (float)s.Epsilon, lr = (float)s.LearningRate;
        float decay = (float)s.WeightDecay, shrink = (float)(1 - s.LearningRate * s.WeightDecay);
        bool coupled = s.WeightDecay > 0 && !s.Decoupled, decoupled = s.WeightDecay > 0 && s.Decoupled;
        int w = System.Numerics.Vector<float>.Count, j = 0;
        for (; j <= pp.Length - w; j += w)         // the scalar loop below, eight (or sixteen) lanes at a time
        {
            var p = new System.Numerics.Vector<float>(pp[j..]);
            var g = new System.Numerics.Vector<float>(gg[j..]);
            if (decoupled) p *= shrink;
            if (coupled) g += p * decay;
            var m = new System.Numerics.Vector<float>(mm[j..]) * b1 + g * a1;
            var v = new System.Numerics.Vector<float>(ww[j..]) * b2 + g * g * a2;
            m.CopyTo(mm[j..]);
            v.CopyTo(ww[j..]);
            (p - m / c1 / (System.Numerics.Vector.SquareRoot(v / c2) + new System.Numerics.Vector<float>(eps)) * lr).CopyTo(pp[j..]);
        }
        for (; j < pp.Length; j++)
        {
            if (decoupled) pp[j] *= shrink;
            float gj = coupled ? gg[j] + pp[j] * decay : gg[j];
            float mj = mm[j] * b1 + gj * a1, vj = ww[j] * b2 + gj * gj * a2;
            mm[j] = mj;
            ww[j] = vj;
            pp[j] -= mj / c1 / (MathF.Sqrt(vj / c2) + eps) * lr;
        }
    }
}
