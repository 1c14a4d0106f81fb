namespace SpikeInit.Surrogates;

/// <summary>The normalized shapes f of Herranz-Celotti &amp; Rouat: even, f(0) = 1, ∫f = 1 (docs/THEORY.md §S2).</summary>
public enum SurrogateShape
{
    /// <summary><c>f = 1</c> for |x| &lt; 1/2, else 0 (strict).</summary>
    Rectangular,
    /// <summary><c>f = max(0, 1 − |x|)</c>.</summary>
    Triangular,
    /// <summary><c>f = exp(−2|x|)</c>.</summary>
    Exponential,
    /// <summary><c>f = exp(−π x²)</c>.</summary>
    Gaussian,
    /// <summary><c>f = 4 s (1 − s)</c>, <c>s = sigmoid(4x)</c> (derivative of a sigmoid).</summary>
    SigmoidDerivative,
    /// <summary><c>f = (1 + 2|x|)^−2</c> (derivative of the fast sigmoid, SuperSpike).</summary>
    FastSigmoid,
    /// <summary><c>f = (1 + 2|x|/(q − 1))^−q</c>, q &gt; 1 (q-PseudoSpike; q = 2 is the fast sigmoid).</summary>
    QPseudoSpike,
}
