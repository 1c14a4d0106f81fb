using System.Text.Json.Serialization;
using SpikeInit.Runtime;
using SpikeInit.Surrogates;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// A neuron model: validated parameters, a surrogate gradient, and a pure step kernel
/// <c>(current, state) → (spikes, new state)</c>. Models are immutable values; they hold no tensors and no state.
/// </summary>
public abstract record Neuron
{
    /// <summary>The surrogate gradient used by the spike function.</summary>
    public abstract Surrogate Surrogate { get; init; }

    /// <summary>The firing threshold θ.</summary>
    public abstract double Threshold { get; }

    /// <summary>Short human-readable description.</summary>
    public abstract string Description { get; }

    /// <summary>The model's name in <see cref="NeuronModels"/> and in <c>model.json</c> (e.g. <c>lif</c>).</summary>
    [JsonIgnore]
    public string Name => NeuronModels.All.FirstOrDefault(m => m.Type == GetType())?.Name ?? GetType().Name;

    /// <summary>Spike condition and gradient options.</summary>
    [JsonIgnore]
    public abstract SpikeOptions Spike { get; }

    /// <summary>The dynamics as the theory sees them (gain, leak, time step, reset, synaptic current).</summary>
    [JsonIgnore]
    public abstract NeuronDynamics Dynamics { get; }

    /// <summary>
    /// How many current channels each neuron receives (1; 2 for the excitatory/inhibitory neuron, whose per-step current
    /// stacks the excitatory and the inhibitory pool along dimension 1). Blocks size their weights by it.
    /// </summary>
    [JsonIgnore]
    public virtual int CurrentsPerNeuron => 1;

    /// <summary>The same model with other spike options (e.g. the smooth forward pass of a gradient check).</summary>
    public abstract Neuron WithSpike(SpikeOptions spike);

    /// <summary>
    /// Whether the model's leak and threshold are learned per neuron (LIF and ALIF with <c>learn</c>): the block that runs
    /// it then owns the trainable tensors and binds them for each run as <see cref="Learned"/>.
    /// </summary>
    [JsonIgnore]
    public virtual bool LearnsLeakAndThreshold => false;

    /// <summary>The same model with per-neuron learnable leak and threshold, or null when the model has none (this default).</summary>
    public virtual Neuron? WithLearnedLeakAndThreshold() => null;

    /// <summary>
    /// The per-neuron leak and threshold tensors bound for one run by the block that trains them (null: the model's scalar
    /// parameters). A run binding, never part of the model (not saved, not set by users); a model with it bound steps
    /// its reference kernel, not a fused one.
    /// </summary>
    [JsonIgnore]
    public LearnedParameters? Learned { get; init; }

    /// <summary>
    /// The PSP kernel integrals ε̄ = Σ_t k[t]·Δt and ε̂ = Σ_t k[t]²·Δt of the free membrane's response k to one unit input
    /// (docs/THEORY.md §F3), in seconds when the model has a <see cref="NeuronDynamics.TimeStep"/>, else in steps.
    /// This default sums the model's own <see cref="ImpulseResponse"/> until it has decayed below 1e-13 of its peak (both
    /// modes); models override it with stork's sampling or an exact closed form.
    /// </summary>
    /// <exception cref="ArgumentException">The response has not decayed within 65,536 steps (e.g. a non-leaky neuron).</exception>
    public virtual KernelIntegrals KernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical)
    {
        for (int steps = 256; steps <= 1 << 16; steps *= 4)
        {
            double[] k = ImpulseResponse(steps);
            double peak = k.Max(Math.Abs);
            if (Math.Abs(k[^1]) <= 1e-13 * peak) return FluctuationTheory.Integrate(k, Dynamics.TimeStep ?? 1.0);
        }
        throw new ArgumentException($"{Description} has no finite PSP kernel integrals: its response to one input does not decay within 65536 steps");
    }

    /// <summary>
    /// The stationary firing rate per step under a Gaussian input current N(mean, std²) where the model has a closed form
    /// (Ding's k/λ neuron); null otherwise.
    /// </summary>
    public virtual double? StationaryRate(double currentMean, double currentStd) => null;

    /// <summary>
    /// The membrane's linear response to one unit of input current at step 0 on current channel <paramref name="channel"/>
    /// (see <see cref="CurrentsPerNeuron"/>), recorded for <paramref name="steps"/> steps by stepping this model's own
    /// <see cref="Step"/> (float64, one neuron): the difference between a run with a tiny impulse (far below threshold, so
    /// nothing fires) and a run without, divided by the impulse.
    /// </summary>
    public double[] ImpulseResponse(int steps, int channel = 0)
    {
        Validate.AtLeast(steps, "steps", 1);
        if (channel < 0 || channel >= CurrentsPerNeuron) throw new ArgumentOutOfRangeException(nameof(channel), channel, $"channel = {channel} is outside [0, {CurrentsPerNeuron - 1}]");
        double amplitude = 1e-6 * Threshold / Math.Max(1, Dynamics.InputGain);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] shape = [1, CurrentsPerNeuron];
        var first = new double[CurrentsPerNeuron];
        first[channel] = amplitude;
        Tensor impulse = tensor(first, shape, ScalarType.Float64);
        Tensor silence = zeros(shape, ScalarType.Float64);
        NeuronState driven = InitialState(shape, ScalarType.Float64, CPU), resting = driven;
        var response = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            (_, driven) = Step(t == 0 ? impulse : silence, driven);
            (_, resting) = Step(silence, resting);
            response[t] = (driven.Membrane.item<double>() - resting.Membrane.item<double>()) / amplitude;
        }
        return response;
    }

    /// <summary>The all-zero state for neurons of the given shape (batch first).</summary>
    public abstract NeuronState InitialState(long[] shape, ScalarType dtype, Device device);

    /// <summary>
    /// A state whose membrane is <paramref name="membrane"/> (batch first) and whose spikes are the ones a step that
    /// recorded that membrane emitted (H(u − θ) under the model's spike condition): the start of a sequence that is not at
    /// rest (<c>InitialMembrane</c>, Kook et al.'s MP-Init). A membrane above θ is kept as it is, so the reset of that
    /// spike applies at the first step, as in the stationary regime it samples. Models whose state is more than a
    /// membrane and its spikes refuse.
    /// </summary>
    /// <exception cref="ArgumentException">The model cannot start from a given membrane (this default).</exception>
    public virtual NeuronState StateWithMembrane(Tensor membrane) =>
        throw new ArgumentException($"{Description} cannot start from a given membrane, only from rest", nameof(membrane));

    /// <summary>
    /// The state before step 0 with the given membrane and, for a model with an adaptive threshold, its spike trace at
    /// <paramref name="adaptationTrace"/> ∈ [0, 1] (the stationary start puts it at its mean, the rate); models without a
    /// trace accept only 0 (<see cref="StateWithMembrane(Tensor)"/>).
    /// </summary>
    public virtual NeuronState StateWithMembrane(Tensor membrane, double adaptationTrace) =>
        adaptationTrace == 0
            ? StateWithMembrane(membrane)
            : throw new ArgumentException($"{Description} has no adaptive threshold to start at trace {Validate.Format(adaptationTrace)}", nameof(adaptationTrace));

    /// <summary>One time step: the input current (already weighted) in, spikes and the next state out.</summary>
    public abstract (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state);

    /// <summary>Whether <see cref="StepFiringOn"/> is available (charge and fire separable).</summary>
    public virtual bool MapsFiringMembrane => false;

    /// <summary>
    /// One time step whose spike function compares <paramref name="firing"/>(u) with θ instead of the membrane u itself;
    /// the state keeps u, and the reset follows the spikes as usual. Membrane-potential batch normalization (MPBN) and its
    /// folding into the threshold use it. Models whose charge and fire are not separable refuse (this default).
    /// </summary>
    /// <exception cref="ArgumentException">The model has no separate firing membrane.</exception>
    public virtual (Tensor Spikes, NeuronState State) StepFiringOn(Tensor current, NeuronState state, Func<Tensor, Tensor> firing) =>
        throw new ArgumentException($"{Description} has no separate firing membrane to normalize (mpbn needs a LIF-family model)", nameof(firing));

    /// <summary>
    /// Whether <see cref="Sequence"/> may use the model's fused multi-step kernel (when it has one and the tensors suit
    /// it). Off: always step <see cref="Step"/> — the reference path, e.g. to measure what the fused kernel buys.
    /// </summary>
    [JsonIgnore]
    public bool FastPath { get; init; } = true;

    /// <summary>
    /// Checkpointing of the time recurrence for backward, in the fused kernel or the step loop (<see cref="SequenceCheckpoint"/>): 0 off,
    /// <see cref="SequenceCheckpoint.Sqrt"/> (chunks of ⌈√T⌉ steps) or a chunk of steps ≥ 1. Same results, less memory.
    /// A run setting, not part of the model (not saved).
    /// </summary>
    [JsonIgnore]
    public int TimeChunk { get; init => field = Validate.AtLeast(value, "time_chunk", SequenceCheckpoint.Sqrt); }

    /// <summary>
    /// The tensors besides the currents and the state that the model's step loop reads in one run and that may need a
    /// gradient (the block's parameters, a recurrent matrix built from them), bound for that run by the block that owns
    /// them. With them bound, the step loop of <see cref="Steps"/> is checkpointed by <see cref="TimeChunk"/>
    /// (<see cref="CheckpointedSteps"/>); without (null), it keeps the graph of all steps. A run binding, not part of the model.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<Tensor>? StepInputs { get; init; }

    /// <summary>
    /// Runs the model over currents <c>[T, B, ...]</c> from <paramref name="initial"/> (null: the zero state of
    /// <see cref="InitialState"/>), adding <paramref name="recurrence"/>(s_{t−1}) to each step's current when given.
    /// Returns the spikes and, when <paramref name="membrane"/> is set, the membranes. This base steps <see cref="Step"/>;
    /// models with a fused kernel override it for the non-recurrent case.
    /// </summary>
    public virtual (Tensor Spikes, Tensor? Membrane) Sequence(Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null,
                                                              NeuronState? initial = null) =>
        Steps(this, currents, membrane, recurrence, initial);

    /// <summary>
    /// Runs a recurrent layer: <see cref="Sequence"/> with the recurrent current <c>s_{t−1}·Wᵀ</c> of the matrix
    /// <paramref name="recurrentWeight"/> (<c>[N, N]</c>) added to each step's current. This base steps
    /// <see cref="Step"/>; models with a fused recurrent kernel override it.
    /// </summary>
    public virtual (Tensor Spikes, Tensor? Membrane) RecurrentSequence(Tensor currents, Tensor recurrentWeight, bool membrane, NeuronState? initial = null)
    {
        ArgumentNullException.ThrowIfNull(recurrentWeight);
        return Sequence(currents, membrane, spikes => SpikeLinear.Apply(spikes, recurrentWeight, null), initial);
    }

    /// <summary>
    /// The reference evaluation of <see cref="Sequence"/>: <see cref="Step"/> once per time step, checkpointed in time when
    /// the run binds <see cref="StepInputs"/> and sets a <see cref="TimeChunk"/>.
    /// </summary>
    public static (Tensor Spikes, Tensor? Membrane) Steps(Neuron neuron, Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null,
                                                         NeuronState? initial = null)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        ArgumentNullException.ThrowIfNull(currents);
        NeuronState state = initial ?? neuron.InitialState(currents.shape[1..], currents.dtype, currents.device);
        return CheckpointedSteps.Run(currents, state, (current, s, _) => neuron.Step(recurrence is null ? current : current.Plus(recurrence(s.Spikes)), s),
                                     membrane, neuron.StepInputs is null ? 0 : neuron.TimeChunk, neuron.StepInputs ?? []);
    }

    /// <summary>Casts a state, with a clear message when a state of another model is passed in.</summary>
    protected static T Expect<T>(NeuronState state) where T : NeuronState =>
        state as T ?? throw new ArgumentException($"expected a {typeof(T).Name}, got {state?.GetType().Name ?? "null"}", nameof(state));
}

/// <summary>A neuron model with a parameter record of type <typeparamref name="TParameters"/>.</summary>
public abstract record Neuron<TParameters> : Neuron where TParameters : class, INeuronParameters<TParameters>
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

    /// <inheritdoc />
    public override double Threshold => Parameters.Theta;

    /// <inheritdoc />
    public override SpikeOptions Spike => Parameters.Spike;

    /// <inheritdoc />
    public override Neuron WithSpike(SpikeOptions spike) => this with { Parameters = Parameters.WithSpike(spike) };
}
