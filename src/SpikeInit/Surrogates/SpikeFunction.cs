using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Surrogates;

/// <summary>
/// The single autograd function behind every surrogate: forward <c>H(x)</c> (or the surrogate's primitive when
/// <see cref="SpikeOptions.SmoothForward"/> is set), backward <c>grad · h'(x)</c>. Stateless shared singleton:
/// the surrogate travels with each call through the autograd context.
/// </summary>
internal sealed class SpikeFunction : SingleTensorFunction<SpikeFunction>
{
    private const string SurrogateKey = "surrogate";

    /// <inheritdoc />
    public override string Name => "SpikeInitSpike";

    /// <summary>Spikes of the centered membrane <paramref name="centered"/> (u − θ).</summary>
    public static Tensor Fire(Tensor centered, Surrogate surrogate, SpikeOptions options) =>
        apply(centered, surrogate, options);

    /// <inheritdoc />
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var surrogate = (Surrogate)vars[1];
        var options = (SpikeOptions)vars[2];
        ctx.save_for_backward([x]);
        ctx.save_data(SurrogateKey, surrogate);
        if (options.SmoothForward) return surrogate.Primitive(x);
        return (options.Condition == SpikeCondition.Greater ? x.GreaterThan(0) : x.AtLeast(0)).to(x.dtype);
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, Tensor grad)
    {
        var x = ctx.get_saved_variables()[0];
        var surrogate = (Surrogate)ctx.get_data(SurrogateKey);
        return [grad * surrogate.Derivative(x), null!, null!];
    }
}
