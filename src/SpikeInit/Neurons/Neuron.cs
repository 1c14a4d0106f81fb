using System.Text.Json.Serialization;
using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// The state a neuron model carries from one step to the next. Immutable: a step returns a new state.
/// <see cref="Membrane"/> is the membrane a monitor records for this step; <see cref="Spikes"/> the spikes emitted.
/// </summary>
public abstract record NeuronState
{
    /// <summary>The membrane potential recorded for the step that produced this state.</summary>
    public abstract Tensor Membrane { get; }

    /// <summary>The spikes emitted by the step that produced this state (zeros initially).</summary>
    public abstract Tensor Spikes { get; }
}

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
