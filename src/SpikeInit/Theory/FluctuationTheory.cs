namespace SpikeInit.Theory;

/// <summary>
/// Closed forms of the fluctuation-driven initialization of Rossbroich, Gygax &amp; Zenke (docs/THEORY.md
/// §F3–F7), written for stork's current-based LIF. Free-membrane statistics by Campbell's theorem,
/// <c>μ_U = n ν μ_W ε̄</c>, <c>σ_U² = n ν (σ_W² + μ_W²) ε̂</c>, and their inversion for a target (μ_U, ξ) or σ_U.
/// Rates ν in 1/(time unit of ε).
/// </summary>
public static class FluctuationTheory
{
    /// <summary>
    /// The continuous-time kernel integrals of a current-based LIF (docs/THEORY.md §F3.1): ε̄ = τ_syn,
    /// ε̂ = τ_syn²/(2(τ_syn + τ_mem)), in seconds (stork's <c>epsilon_calc_mode="analytical"</c>).
    /// </summary>
    public static KernelIntegrals AnalyticalEpsilon(double tauMem, double tauSyn)
    {
        Validate.Positive(tauMem, "tau_mem");
        Validate.Positive(tauSyn, "tau_syn");
        return new KernelIntegrals(tauSyn, tauSyn * tauSyn / (2 * (tauSyn + tauMem)));
    }

    /// <summary>ε̄ = Σ k·dt and ε̂ = Σ k²·dt of sampled kernel values <paramref name="kernel"/>.</summary>
    public static KernelIntegrals Integrate(IReadOnlyList<double> kernel, double dt = 1.0)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        double sum = 0, square = 0;
        foreach (double v in kernel)
        {
            sum += v;
            square += v * v;
        }
        return new KernelIntegrals(sum * dt, square * dt);
    }

    /// <summary>
    /// ε̄, ε̂ of a discrete neuron without synaptic filter whose membrane responds to a unit input with
    /// <c>g·β^t</c> (LIF, k/λ IF): <c>ε̄ = g/(1 − β)</c>, <c>ε̂ = g²/(1 − β²)</c>, time in steps (β &lt; 1).
    /// </summary>
    public static KernelIntegrals GeometricEpsilon(double beta, double gain = 1.0)
    {
        Validate.InRange(beta, "beta", 0, 1, highOpen: true);
        Validate.Positive(gain, "gain");
        return new KernelIntegrals(gain / (1 - beta), gain * gain / (1 - beta * beta));
    }

    /// <summary>Free-membrane mean <c>μ_U = Σ_c N_c ν μ_c ε̄</c> (Campbell).</summary>
    public static double MembraneMean(int fanIn, double rate, WeightMoments w, KernelIntegrals eps) => fanIn * rate * w.Mean * eps.Mean;

    /// <summary>Free-membrane variance <c>σ_U² = N ν (σ_W² + μ_W²) ε̂</c> (Campbell).</summary>
    public static double MembraneVariance(int fanIn, double rate, WeightMoments w, KernelIntegrals eps) => fanIn * rate * w.SecondMoment * eps.Square;

    /// <summary>
    /// Weights of a single connection (paper eqs. 6–7, stork <c>_get_weight_parameters_con</c>):
    /// <c>μ_W = μ_U/(n ν ε̄)</c>, <c>σ_W² = ((θ − μ_U)/ξ)²/(n ν ε̂) − μ_W²</c>.
    /// </summary>
    /// <exception cref="InfeasibleInitializationException">σ_W² &lt; 0; the message names the critical n·ν.</exception>
    public static WeightMoments WeightParameters(int fanIn, double rate, double muU, double xi, KernelIntegrals eps, double theta = 1.0) =>
        LayerParameters([new Afferent(fanIn, false)], rate, muU, xi, eps, 1.0, theta)[0];

    /// <summary>
    /// Weights of every afferent connection of one population (docs/THEORY.md §F5, stork <c>_get_weight_parameters_dst</c>):
    /// one μ_W over all N_total inputs; a share α (feed-forward) or 1 − α (recurrent) of σ_U², split equally among the
    /// connections of each kind; α is ignored (1) without recurrent afferents.
    /// </summary>
    public static WeightMoments[] LayerParameters(IReadOnlyList<Afferent> afferents, double rate, double muU, double xi,
                                                  KernelIntegrals eps, double alpha = 0.9, double theta = 1.0)
    {
        double sigmaU = CheckTarget(rate, muU, xi, eps, theta);
        double[] shares = Shares(afferents, alpha);
        long total = 0;
        foreach (Afferent c in afferents) total += Validate.AtLeast(c.FanIn, "fan_in", 1);
        double muW = muU / (total * rate * eps.Mean);
        var result = new WeightMoments[afferents.Count];
        for (int i = 0; i < result.Length; i++)
        {
            Afferent c = afferents[i];
            double scale = shares[i];
            double variance = scale / (c.FanIn * rate * eps.Square) * sigmaU * sigmaU - muW * muW;
            if (!(variance >= 0)) throw Infeasible(c, total, rate, muU, xi, eps, scale, theta, variance);
            result[i] = new WeightMoments(muW, Math.Sqrt(variance));
        }
        return result;
    }

    /// <summary>
    /// Mean-driven weights of Herranz-Celotti &amp; Rouat (docs/THEORY.md §S6) for one afferent: the mean membrane at
    /// threshold, <c>μ_w = θ/(N_total ν ε̄)</c>, and a unit-scale spread <c>σ_w = √(s/(N ν ε̂))</c> with the variance
    /// share s of the connection (α-split as in <see cref="LayerParameters"/>).
    /// </summary>
    public static WeightMoments MeanDrivenParameters(int fanIn, long totalFanIn, double rate, KernelIntegrals eps, double share, double theta = 1.0)
    {
        Validate.AtLeast(fanIn, "fan_in", 1);
        if (totalFanIn < fanIn) throw new ArgumentOutOfRangeException(nameof(totalFanIn), totalFanIn, $"total_fan_in = {totalFanIn} must be at least fan_in = {fanIn}");
        Validate.Positive(rate, "rate");
        Validate.InRange(share, "share", 0, 1, lowOpen: true);
        Validate.Positive(theta, "theta");
        CheckEpsilon(eps);
        return new WeightMoments(theta / (totalFanIn * rate * eps.Mean), Math.Sqrt(share / (fanIn * rate * eps.Square)));
    }

    /// <summary>Variance shares of the afferents: α/n_ff for feed-forward, (1 − α)/n_rec for recurrent (α = 1 without recurrence).</summary>
    public static double[] Shares(IReadOnlyList<Afferent> afferents, double alpha)
    {
        ArgumentNullException.ThrowIfNull(afferents);
        if (afferents.Count == 0) throw new ArgumentException("a population needs at least one afferent connection", nameof(afferents));
        int nRec = afferents.Count(a => a.Recurrent), nFF = afferents.Count - nRec;
        if (nFF == 0) throw new ArgumentException("a population needs at least one feed-forward afferent", nameof(afferents));
        double a = nRec > 0 ? Validate.InRange(alpha, "alpha", 0, 1, lowOpen: true, highOpen: true) : 1.0;
        return [.. afferents.Select(c => c.Recurrent ? (1 - a) / nRec : a / nFF)];
    }

    /// <summary>
    /// The smallest n·ν for which a single connection can reach (μ_U, ξ): <c>(ξ μ_U/(θ − μ_U))²·ε̂/ε̄²</c> (docs/THEORY.md §F4.4).
    /// </summary>
    public static double CriticalInputCount(double muU, double xi, KernelIntegrals eps, double theta = 1.0)
    {
        double r = xi * muU / (theta - muU);
        return r * r * eps.Square / (eps.Mean * eps.Mean);
    }

    /// <summary>
    /// Rates λ of the exponential weight distributions of a Dalian population (docs/THEORY.md §F7, stork
    /// <c>FluctuationDrivenExponentialInitializer</c>) for μ_U = 0 and σ_U = θ/ξ: excitatory feed-forward fan-in
    /// <paramref name="feedForward"/>, excitatory recurrent fan-in <paramref name="recurrent"/> (0: none), inhibitory
    /// fan-in <paramref name="inhibitory"/>; ε of the excitatory and of the inhibitory synapses.
    /// </summary>
    public static DaleRates DaleParameters(int feedForward, int recurrent, int inhibitory, double rate, double xi,
                                           KernelIntegrals excitatory, KernelIntegrals inhibitoryEps, double alpha = 0.9, double theta = 1.0)
    {
        Validate.AtLeast(feedForward, "feed_forward_fan_in", 1);
        Validate.AtLeast(recurrent, "recurrent_fan_in", 0);
        Validate.AtLeast(inhibitory, "inhibitory_fan_in", 1);
        Validate.Positive(rate, "rate");
        Validate.Positive(xi, "xi");
        Validate.Positive(theta, "theta");
        CheckEpsilon(excitatory);
        CheckEpsilon(inhibitoryEps);
        double scale = xi / theta * Math.Sqrt(2 * rate);
        if (recurrent == 0)
        {
            double dEI = inhibitory * inhibitoryEps.Mean / (feedForward * excitatory.Mean);
            double lE = scale * Math.Sqrt(feedForward * excitatory.Square + inhibitory * inhibitoryEps.Square / (dEI * dEI));
            return new DaleRates(lE, lE, dEI * lE);
        }
        Validate.InRange(alpha, "alpha", 0, 1, lowOpen: true, highOpen: true);
        double dRec = Math.Sqrt(alpha * recurrent / ((1 - alpha) * feedForward));
        double dInh = dRec * inhibitoryEps.Mean * inhibitory / (excitatory.Mean * (dRec * feedForward + recurrent));
        double lFF = scale * Math.Sqrt(excitatory.Square * feedForward + excitatory.Square * recurrent / (dRec * dRec)
                                       + inhibitoryEps.Square * inhibitory / (dInh * dInh));
        return new DaleRates(lFF, dRec * lFF, dInh * lFF);
    }

    /// <summary>Free-membrane (μ_U, σ_U) of a Dalian population with exponential weights (E[W] = 1/λ, E[W²] = 2/λ²).</summary>
    public static (double Mean, double Std) DaleMembrane(int feedForward, int recurrent, int inhibitory, double rate, DaleRates r,
                                                         KernelIntegrals excitatory, KernelIntegrals inhibitoryEps)
    {
        double mean = rate * (excitatory.Mean * (feedForward / r.FeedForward + recurrent / r.Recurrent) - inhibitoryEps.Mean * inhibitory / r.Inhibitory);
        double variance = 2 * rate * (excitatory.Square * (feedForward / Sq(r.FeedForward) + recurrent / Sq(r.Recurrent))
                                      + inhibitoryEps.Square * inhibitory / Sq(r.Inhibitory));
        return (mean, Math.Sqrt(variance));
    }

    private static double Sq(double x) => x * x;

    /// <summary>Validates a (μ_U, ξ) target and returns σ_U = (θ − μ_U)/ξ.</summary>
    private static double CheckTarget(double rate, double muU, double xi, KernelIntegrals eps, double theta)
    {
        Validate.Positive(rate, "rate");
        Validate.Positive(xi, "xi");
        Validate.Positive(theta, "theta");
        Validate.InRange(muU, "mu_u", double.MinValue, theta, highOpen: true);
        CheckEpsilon(eps);
        return (theta - muU) / xi;
    }

    private static void CheckEpsilon(KernelIntegrals eps)
    {
        Validate.Positive(eps.Mean, "epsilon_bar");
        Validate.Positive(eps.Square, "epsilon_hat");
    }

    private static InfeasibleInitializationException Infeasible(Afferent c, long total, double rate, double muU, double xi,
                                                                KernelIntegrals eps, double scale, double theta, double variance)
    {
        // σ_W² ≥ 0  ⇔  N ν ≥ (ξ μ_U/(θ − μ_U))² ε̂/ε̄² · N²/(scale · N_total²)
        double critical = CriticalInputCount(muU, xi, eps, theta) * c.FanIn * (double)c.FanIn / (scale * total * (double)total);
        return new InfeasibleInitializationException(
            $"fluctuation-driven target mu_u = {Validate.Format(muU)}, xi = {Validate.Format(xi)} is infeasible for n = {c.FanIn}, " +
            $"nu = {Validate.Format(rate)}: sigma_W^2 = {variance:G6} < 0 because n*nu = {Validate.Format(c.FanIn * rate)} is below the critical " +
            $"n*nu = {Validate.Format(critical)} (the mean weight alone already makes more membrane variance than the target); " +
            "lower mu_u, lower xi (larger sigma_u), or use more inputs");
    }
}
