using SpikeInit.Neurons;
using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>
/// Fluctuation-driven initialization of Rossbroich, Gygax &amp; Zenke (docs/THEORY.md §F4–F6): normal weights
/// chosen so that the free membrane has mean μ_U and standard deviation σ_U = (θ − μ_U)/ξ under presynaptic Poisson
/// input at rate ν. Centered form (default): μ_U = 0 and σ_U; general form: (μ_U, ξ). A recurrent population gets a
/// share α of σ_U² from its feed-forward and 1 − α from its recurrent input; conv layers use fan-in C_in·k². ε̄, ε̂ come
/// from SpikeInit's own discrete kernel (numerical, default) or the continuous one. Name <c>fluctuation</c>.
/// </summary>
public sealed record FluctuationDriven : Initializer
{
    /// <summary>Creates the centered form with target σ_U (stork's default σ_U = 1).</summary>
    public FluctuationDriven(double sigmaU = 1.0, double alpha = 0.9, EpsilonMode epsilon = EpsilonMode.Numerical)
    {
        SigmaU = sigmaU;
        Alpha = alpha;
        Epsilon = epsilon;
    }

    /// <summary>The general form with target mean μ_U and ξ = (θ − μ_U)/σ_U.</summary>
    public static FluctuationDriven General(double muU, double xi, double alpha = 0.9, EpsilonMode epsilon = EpsilonMode.Numerical) =>
        new(1.0, alpha, epsilon) { MuU = muU, Xi = xi };

    /// <summary>Target σ_U &gt; 0 of the centered form (ignored when <see cref="Xi"/> is set).</summary>
    public double SigmaU { get; init => field = Validate.Positive(value, "sigma_u"); }

    /// <summary>Target mean μ_U (&lt; θ); 0 in the centered form.</summary>
    public double MuU { get; init => field = Validate.Finite(value, "mu_u"); }

    /// <summary>ξ &gt; 0 of the general form (null: ξ = (θ − μ_U)/σ_U).</summary>
    public double? Xi { get; init => field = value is { } v ? Validate.Positive(v, "xi") : null; }

    /// <summary>Feed-forward share α ∈ (0, 1) of σ_U² in recurrent populations (stork: 0.9).</summary>
    public double Alpha { get; init => field = Validate.InRange(value, "alpha", 0, 1, lowOpen: true, highOpen: true); }

    /// <summary>How ε̄ and ε̂ are computed.</summary>
    public EpsilonMode Epsilon { get; init => field = Validate.Defined(value, "epsilon_mode"); }

    /// <inheritdoc />
    public override string Name => "fluctuation";

    /// <summary>ξ for a neuron with threshold θ.</summary>
    public double XiFor(double theta)
    {
        if (Xi is { } xi) return xi;
        Validate.InRange(MuU, "mu_u", double.MinValue, theta, highOpen: true);
        return (theta - MuU) / SigmaU;
    }

    /// <inheritdoc />
    public override LayerPlan Plan(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double nu = LayerTheory.RequireRate(context, Name);
        KernelIntegrals eps = context.Neuron.KernelIntegrals(Epsilon);
        double theta = context.Neuron.Threshold;
        WeightMoments[] w = FluctuationTheory.LayerParameters(Afferents(context), nu, MuU, XiFor(theta), eps, Alpha, theta);
        return Build(Name, context, w, Epsilon);
    }

    /// <summary>
    /// Dale's law (docs/THEORY.md §F7): rates of the exponential weights of an E/I population for μ_U = 0 and σ_U = θ/ξ, with the
    /// excitatory variance split α : 1 − α between feed-forward and recurrent excitation and inhibition balancing the mean.
    /// </summary>
    public DalePlan Dale(DaleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (MuU != 0) throw new ArgumentException($"Dale's-law initialization targets mu_u = 0 (E/I balance); got mu_u = {Validate.Format(MuU)}");
        CubaExcInhParameters p = context.Neuron;
        var neuron = new CubaExcInhNeuron(p);
        KernelIntegrals exc = neuron.KernelIntegrals(Epsilon), inh = neuron.InhibitoryKernelIntegrals(Epsilon);
        DaleRates r = FluctuationTheory.DaleParameters(context.FeedForwardFanIn, context.RecurrentFanIn, context.InhibitoryFanIn,
                                                       context.Rate, XiFor(p.Theta), exc, inh, Alpha, p.Theta);
        var (mean, std) = FluctuationTheory.DaleMembrane(context.FeedForwardFanIn, context.RecurrentFanIn, context.InhibitoryFanIn, context.Rate, r, exc, inh);
        return new DalePlan(new ExponentialWeights(r.FeedForward), context.RecurrentFanIn > 0 ? new ExponentialWeights(r.Recurrent) : null,
                            new ExponentialWeights(r.Inhibitory), mean, std, LayerTheory.FiringProbability(p.Theta, mean, std));
    }

    /// <summary>The afferents of the population: the feed-forward connection and, if present, the recurrent one.</summary>
    internal static Afferent[] Afferents(InitContext context) => context.HasRecurrence
        ? [new Afferent(context.FanIn, false), new Afferent(context.RecurrentFanIn, true)]
        : [new Afferent(context.FanIn, false)];

    /// <summary>A plan of normal weights with the given moments (feed-forward first), predicted as a free membrane.</summary>
    internal static LayerPlan Build(string name, InitContext context, WeightMoments[] w, EpsilonMode epsilon)
    {
        var ff = new NormalWeights(w[0].Mean, w[0].Std);
        NormalWeights? rec = w.Length > 1 ? new NormalWeights(w[1].Mean, w[1].Std) : null;
        return new LayerPlan(ff, rec, 0, null, LayerTheory.Predict(name, context, ff, rec, 0, PredictionRegime.FreeMembrane, epsilon));
    }
}
