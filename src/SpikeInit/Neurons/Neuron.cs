using System.Text.Json.Serialization;
using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// A neuron model: validated parameters, a surrogate gradient, and a pure step kernel
/// <c>(current, state) → (spikes, new state)</c>. Models are immutable values; they hold no tensors and no state.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "model")]
[JsonDerivedType(typeof(LifNeuron), "lif")]
[JsonDerivedType(typeof(KLambdaNeuron), "klambda")]
[JsonDerivedType(typeof(CubaLifNeuron), "cuba-lif")]
public abstract record Neuron
{
    /// <summary>The surrogate gradient used by the spike function.</summary>
    public abstract Surrogate Surrogate { get; init; }

    /// <summary>The firing threshold θ.</summary>
    public abstract double Threshold { get; }

    /// <summary>Short human-readable description.</summary>
    public abstract string Description { get; }

    /// <summary>The all-zero state for neurons of the given shape (batch first).</summary>
    public abstract NeuronState InitialState(long[] shape, ScalarType dtype, Device device);

    /// <summary>One time step: the input current (already weighted) in, spikes and the next state out.</summary>
    public abstract (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state);

    /// <summary>
    /// Whether <see cref="Sequence"/> may use the model's fused multi-step kernel (when it has one and the tensors suit
    /// it). Off: always step <see cref="Step"/> — the reference path, e.g. to measure what the fused kernel buys.
    /// </summary>
    [JsonIgnore]
    public bool FastPath { get; init; } = true;

    /// <summary>
    /// Runs the model over currents <c>[T, B, ...]</c> from the zero state, adding <paramref name="recurrence"/>(s_{t−1})
    /// to each step's current when given. Returns the spikes and, when <paramref name="membrane"/> is set, the membranes.
    /// This base steps <see cref="Step"/>; models with a fused kernel override it for the non-recurrent case.
    /// </summary>
    public virtual (Tensor Spikes, Tensor? Membrane) Sequence(Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null) =>
        Steps(this, currents, membrane, recurrence);

    /// <summary>The reference evaluation of <see cref="Sequence"/>: <see cref="Step"/> once per time step.</summary>
    public static (Tensor Spikes, Tensor? Membrane) Steps(Neuron neuron, Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        ArgumentNullException.ThrowIfNull(currents);
        long steps = currents.shape[0];
        NeuronState state = neuron.InitialState(currents.shape[1..], currents.dtype, currents.device);
        var spikes = new Tensor[steps];
        var membranes = membrane ? new Tensor[steps] : null;
        for (long t = 0; t < steps; t++)
        {
            Tensor current = recurrence is null ? currents[t] : currents[t].Plus(recurrence(state.Spikes));
            (spikes[t], state) = neuron.Step(current, state);
            if (membranes is not null) membranes[t] = state.Membrane;
        }
        return (stack(spikes), membranes is null ? null : stack(membranes));
    }

    /// <summary>Casts a state, with a clear message when a state of another model is passed in.</summary>
    protected static T Expect<T>(NeuronState state) where T : NeuronState =>
        state as T ?? throw new ArgumentException($"expected a {typeof(T).Name}, got {state?.GetType().Name ?? "null"}", nameof(state));
}

/// <summary>A neuron model with a parameter record of type <typeparamref name="TParameters"/>.</summary>
public abstract record Neuron<TParameters> : Neuron where TParameters : class
{
    /// <summary>Sets parameters and surrogate (both required).</summary>
    protected Neuron(TParameters parameters, Surrogate surrogate)
    {
        Parameters = parameters;
        Surrogate = surrogate;
    }

    /// <summary>The validated parameters.</summary>
    public TParameters Parameters { get; init => field = value ?? throw new ArgumentNullException(nameof(Parameters)); }

    /// <inheritdoc />
    public override Surrogate Surrogate { get; init => field = value ?? throw new ArgumentNullException(nameof(Surrogate)); }
}
