using System.Numerics;
using static SpikeInit.TensorArithmetic;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// The charge of one <see cref="LifReset"/> variant, every form of it in one place: u_t from u_{t−1}, the previous
/// spike s_{t−1} (already detached when the reset is) and the gain-scaled input x_t = g·I_t, as tensors
/// (<see cref="Lif.Step"/>) and as float32 host vectors in the same operations and order (the fused
/// <see cref="LifSequence"/>, parity-tested bit for bit), and the partial derivatives the fused backward pass needs.
/// </summary>
internal interface ILifCharge
{
    /// <summary>u_t (tensor form).</summary>
    static abstract Tensor Charge(Tensor u, Tensor s, Tensor x, double beta, double theta);

    /// <summary>u_t with per-neuron (or per-step) leak and threshold tensors, broadcast against u (learned parameters, ALIF).</summary>
    static abstract Tensor Charge(Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta);

    /// <summary>u_t (host form).</summary>
    static abstract Vector<float> Charge(Vector<float> u, Vector<float> s, Vector<float> x, Vector<float> beta, Vector<float> theta);

    /// <summary>∂u_{t+1}/∂u_t given s_t.</summary>
    static virtual Vector<float> DuDu(Vector<float> s, Vector<float> beta) => beta;

    /// <summary>∂u_{t+1}/∂s_t given u_t and the scaled input x_{t+1}.</summary>
    static abstract Vector<float> DuDs(Vector<float> u, Vector<float> xNext, Vector<float> beta, Vector<float> theta);

    /// <summary>
    /// Whether u_t depends on x_t through (1 − s_{t−1}) (then ∂u_t/∂I_t = g·(1 − s_{t−1}), else g) and ∂u_{t+1}/∂s_t
    /// on x_{t+1}.
    /// </summary>
    static virtual bool AfterInput => false;
}

/// <summary>A computation generic in the charge, run for the <see cref="ILifCharge"/> of a reset by <see cref="LifCharge.Dispatch"/>.</summary>
/// <typeparam name="T">The result.</typeparam>
internal interface ILifChargeUser<out T>
{
    /// <summary>Runs the computation with the charge <typeparamref name="TCharge"/> (the JIT compiles one copy per variant).</summary>
    T Use<TCharge>() where TCharge : struct, ILifCharge;
}

/// <summary>The five <see cref="LifReset"/> variants as <see cref="ILifCharge"/> types, and the one map from the enum to them.</summary>
internal static class LifCharge
{
    /// <summary>Runs <paramref name="user"/> with the charge of <paramref name="reset"/>.</summary>
    public static T Dispatch<T>(LifReset reset, ILifChargeUser<T> user) => reset switch
    {
        LifReset.SubtractNextStep => user.Use<SubtractNextStep>(),
        LifReset.SubtractBeforeDecay => user.Use<SubtractBeforeDecay>(),
        LifReset.ZeroBeforeDecay => user.Use<ZeroBeforeDecay>(),
        LifReset.ZeroAfterInput => user.Use<ZeroAfterInput>(),
        _ => user.Use<NoReset>(),
    };

    /// <summary>u_t of <paramref name="reset"/> in tensors (see <see cref="ILifCharge"/>).</summary>
    public static Tensor Charge(LifReset reset, Tensor u, Tensor s, Tensor x, double beta, double theta) =>
        Dispatch(reset, new TensorCharge(u, s, x, beta, theta));

    /// <summary>u_t of <paramref name="reset"/> with leak and threshold tensors (see <see cref="ILifCharge"/>).</summary>
    public static Tensor Charge(LifReset reset, Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta) =>
        Dispatch(reset, new TensorParameterCharge(u, s, x, beta, theta));

    private sealed class TensorParameterCharge(Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta) : ILifChargeUser<Tensor>
    {
        public Tensor Use<TCharge>() where TCharge : struct, ILifCharge => TCharge.Charge(u, s, x, beta, theta);
    }

    private sealed class TensorCharge(Tensor u, Tensor s, Tensor x, double beta, double theta) : ILifChargeUser<Tensor>
    {
        public Tensor Use<TCharge>() where TCharge : struct, ILifCharge => TCharge.Charge(u, s, x, beta, theta);
    }

    /// <summary><c>u_t = β u_{t−1} + x_t − θ s_{t−1}</c>: ∂u_t/∂u_{t−1} = β, ∂u_t/∂s_{t−1} = −θ.</summary>
    private readonly struct SubtractNextStep : ILifCharge
    {
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta) => (u * beta).Plus(x).Minus(s * theta);
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, double beta, double theta) => u.Times(beta).Plus(x).Minus(s.Times(theta));
        public static Vector<float> Charge(Vector<float> u, Vector<float> s, Vector<float> x, Vector<float> beta, Vector<float> theta) => u * beta + x - s * theta;
        public static Vector<float> DuDs(Vector<float> u, Vector<float> xNext, Vector<float> beta, Vector<float> theta) => -theta;
    }

    /// <summary><c>u_t = β (u_{t−1} − θ s_{t−1}) + x_t</c>: ∂u_t/∂u_{t−1} = β, ∂u_t/∂s_{t−1} = −βθ.</summary>
    private readonly struct SubtractBeforeDecay : ILifCharge
    {
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta) => (u.Minus(s * theta) * beta).Plus(x);
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, double beta, double theta) => u.Minus(s.Times(theta)).Times(beta).Plus(x);
        public static Vector<float> Charge(Vector<float> u, Vector<float> s, Vector<float> x, Vector<float> beta, Vector<float> theta) => (u - s * theta) * beta + x;
        public static Vector<float> DuDs(Vector<float> u, Vector<float> xNext, Vector<float> beta, Vector<float> theta) => -(beta * theta);
    }

    /// <summary><c>u_t = β u_{t−1} (1 − s_{t−1}) + x_t</c>: ∂u_t/∂u_{t−1} = β(1 − s_{t−1}), ∂u_t/∂s_{t−1} = −βu_{t−1}.</summary>
    private readonly struct ZeroBeforeDecay : ILifCharge
    {
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta) => (u * OneMinus(s) * beta).Plus(x);
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, double beta, double theta) => (u * OneMinus(s)).Times(beta).Plus(x);
        public static Vector<float> Charge(Vector<float> u, Vector<float> s, Vector<float> x, Vector<float> beta, Vector<float> theta) => u * (Vector<float>.One - s) * beta + x;
        public static Vector<float> DuDu(Vector<float> s, Vector<float> beta) => beta * (Vector<float>.One - s);
        public static Vector<float> DuDs(Vector<float> u, Vector<float> xNext, Vector<float> beta, Vector<float> theta) => -(beta * u);
    }

    /// <summary>
    /// <c>u_t = (β u_{t−1} + x_t)(1 − s_{t−1})</c>: ∂u_t/∂u_{t−1} = β(1 − s_{t−1}), ∂u_t/∂s_{t−1} = −(βu_{t−1} + x_t),
    /// ∂u_t/∂I_t = g(1 − s_{t−1}).
    /// </summary>
    private readonly struct ZeroAfterInput : ILifCharge
    {
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta) => (u * beta).Plus(x) * OneMinus(s);
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, double beta, double theta) => u.Times(beta).Plus(x) * OneMinus(s);
        public static Vector<float> Charge(Vector<float> u, Vector<float> s, Vector<float> x, Vector<float> beta, Vector<float> theta) => (u * beta + x) * (Vector<float>.One - s);
        public static Vector<float> DuDu(Vector<float> s, Vector<float> beta) => beta * (Vector<float>.One - s);
        public static Vector<float> DuDs(Vector<float> u, Vector<float> xNext, Vector<float> beta, Vector<float> theta) => -(beta * u + xNext);
        public static bool AfterInput => true;
    }

    /// <summary><c>u_t = β u_{t−1} + x_t</c>: ∂u_t/∂u_{t−1} = β, ∂u_t/∂s_{t−1} = 0.</summary>
    private readonly struct NoReset : ILifCharge
    {
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, Tensor beta, Tensor theta) => (u * beta).Plus(x);
        public static Tensor Charge(Tensor u, Tensor s, Tensor x, double beta, double theta) => u.Times(beta).Plus(x);
        public static Vector<float> Charge(Vector<float> u, Vector<float> s, Vector<float> x, Vector<float> beta, Vector<float> theta) => u * beta + x;
        public static Vector<float> DuDs(Vector<float> u, Vector<float> xNext, Vector<float> beta, Vector<float> theta) => Vector<float>.Zero;
    }
}
