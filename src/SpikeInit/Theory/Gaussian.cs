using MathNet.Numerics;

namespace SpikeInit.Theory;

/// <summary>Standard-normal helpers used by the initialization theory.</summary>
public static class Gaussian
{
    /// <summary>Upper tail <c>Q(z) = P(Z &gt; z) = ½·erfc(z/√2)</c> for Z ~ N(0, 1).</summary>
    public static double Tail(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));

    /// <summary>Density φ(z).</summary>
    public static double Density(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    /// <summary><c>P(u &gt; θ)</c> for u ~ N(0, σ²): <c>½·erfc(θ/(σ√2))</c> (Micheli et al. Eq. 12 for σ = 1).</summary>
    public static double FiringProbability(double theta, double sigma = 1.0) =>
        Tail(Validate.Finite(theta, "theta") / Validate.Positive(sigma, "sigma"));
}
