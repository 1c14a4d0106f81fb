using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Runtime;

/// <summary>
/// <c>x·Wᵀ + b</c> on SpikeInit's own dense kernel (<see cref="DenseMatmul"/>) for float32 CPU matrices with at most
/// <see cref="DenseMatmul.MaxDepth"/> inputs, with backward on the same kernel (<c>∂L/∂x = G·W</c>, <c>∂L/∂W = Gᵀ·x</c>
/// over any number of rows); anything else takes <c>nn.functional.linear</c>. For a 0/1 input each output is the bias plus
/// the selected weights added in increasing input order, the same float32 value as <see cref="SpikeLinear"/>'s
/// event-driven path: a product's value does not depend on which path the density rule picks.
/// </summary>
internal static class DenseLinear
{
    /// <summary>Whether the own kernel runs <c>input·weightᵀ + bias</c>.</summary>
    public static bool Supports(Tensor input, Tensor weight, Tensor? bias) =>
        DenseMatmul.Available && input.dim() == 2 && weight.dim() == 2 && input.shape[1] == weight.shape[1]
        && input.shape[1] is > 0 and <= DenseMatmul.MaxDepth && HostFloat(input) && HostFloat(weight) && (bias is null || HostFloat(bias))
        && input.numel() <= int.MaxValue && weight.numel() <= int.MaxValue && input.shape[0] * weight.shape[0] <= int.MaxValue;

    private static bool HostFloat(Tensor t) => t.dtype == ScalarType.Float32 && t.device_type == TorchSharp.DeviceType.CPU;

    /// <summary><c>input·weightᵀ + bias</c>, differentiable in all three.</summary>
    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias)
    {
        if (!Supports(input, weight, bias)) return nn.functional.linear(input, weight, bias);
        if (!is_grad_enabled() || !(input.requires_grad || weight.requires_grad || bias?.requires_grad == true))
            using (no_grad()) return Forward(input, weight, bias);
        return DenseLinearFunction.apply(input, weight, bias ?? empty(0))[0];
    }

    private static unsafe Tensor Forward(Tensor input, Tensor weight, Tensor? bias)
    {
        int rows = (int)input.shape[0], inputs = (int)input.shape[1], outs = (int)weight.shape[0];
        using var scope = NewDisposeScope();
        Tensor x = input.detach().contiguous(), packed = SpikeLinear.PackTransposed(weight.detach()), y = empty([rows, outs], ScalarType.Float32);
        Tensor? b = bias is null ? null : SpikeLinear.PackTransposed(bias.detach());
        DenseMatmul.Multiply(new FloatView(x).Pointer, inputs, rows, inputs, new FloatView(packed).Pointer, b is null ? null : new FloatView(b).Pointer,
                             outs, new FloatView(y).Pointer, outs);
        GC.KeepAlive(x);
        GC.KeepAlive(packed);
        GC.KeepAlive(b);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The autograd node: inputs (input, weight, bias or empty), output [current].</summary>
    private sealed class DenseLinearFunction : MultiTensorFunction<DenseLinearFunction>
    {
        public override string Name => "SpikeInitDenseLinear";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var input = (Tensor)vars[0];
            var weight = (Tensor)vars[1];
            var bias = (Tensor)vars[2];
            ctx.save_for_backward([input, weight]);
            ctx.save_data("needs", new[] { input.requires_grad, weight.requires_grad, bias.numel() > 0 && bias.requires_grad });
            return [Forward(input, weight, bias.numel() > 0 ? bias : null)];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var needs = (bool[])ctx.get_data("needs");
            Tensor g = grads[0].contiguous();
            Tensor? gx = needs[0] ? DenseMatmul.Times(g, saved[1]) : null;
            Tensor? gw = needs[1] ? DenseMatmul.Times(g.t(), saved[0]) : null;
            Tensor? gb = needs[2] ? g.sum([0]) : null;
            return [gx!, gw!, gb!];
        }
    }
}
