using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// State of <see cref="Slstm"/>: cell state <c>C</c> = c_t (reported as the membrane) and output <c>H</c> = h_t ∈ {−1, 0, 1}
/// (reported as the spikes; the recurrent input of the next step).
/// </summary>
public sealed record SlstmState(Tensor C, Tensor H) : NeuronState
{
    /// <inheritdoc />
    public override Tensor Membrane => C;
    /// <inheritdoc />
    public override Tensor Spikes => H;
}

/// <summary>
/// The spiking LSTM cell of Herranz-Celotti &amp; Rouat's code (<c>spikingLSTM</c>, docs/THEORY.md §S11): an LSTM whose
/// gates and outputs are surrogate-gradient step functions Θ (forward H(x), backward the surrogate's derivative):
/// <code>
/// gates:      i_t = Θ(a^i_t)   f_t = Θ(a^f_t)   o_t = Θ(a^o_t)   z_t = 2Θ(a^z_t) − 1
/// cell:       c_t = f_t ⊙ c_{t−1} + i_t ⊙ z_t
/// output:     h_t = o_t ⊙ (2Θ(c_t) − 1)
/// </code>
/// with pre-activations <c>a_t = W x_t + b + U h_{t−1}</c>, stacked along dimension 1 in the order input, forget,
/// candidate, output (<c>[B, 4N]</c>). States start at zero.
/// </summary>
public static class Slstm
{
    /// <summary>The zero state for cells of the given shape.</summary>
    public static SlstmState Initial(long[] shape, ScalarType dtype, Device device) =>
        new(zeros(shape, dtype, device), zeros(shape, dtype, device));

    /// <summary>One step from the four gates' pre-activations (each <c>[B, N]</c>, recurrence included).</summary>
    public static (Tensor Output, SlstmState State) Step(Tensor input, Tensor forget, Tensor candidate, Tensor output,
                                                         SlstmState state, SlstmParameters p, Surrogate surrogate)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(forget);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(surrogate);
        Tensor i = surrogate.Spike(input, p.Spike);
        Tensor f = surrogate.Spike(forget, p.Spike);
        Tensor o = surrogate.Spike(output, p.Spike);
        Tensor z = Signed(surrogate.Spike(candidate, p.Spike));
        Tensor c = f.mul(state.C).Plus(i.mul(z));
        Tensor h = o.mul(Signed(surrogate.Spike(c, p.Spike)));
        return (h, new SlstmState(c, h));
    }

    /// <summary>2x − 1: a step in {0, 1} as a sign in {−1, 1}.</summary>
    private static Tensor Signed(Tensor step) => step.Times(2).Minus(1);
}
