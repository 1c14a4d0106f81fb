namespace SpikeInit.Theory;

/// <summary>An initialization target that no weight distribution can meet (e.g. a negative weight variance).</summary>
public sealed class InfeasibleInitializationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InfeasibleInitializationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InfeasibleInitializationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public InfeasibleInitializationException(string message, Exception inner) : base(message, inner) { }
}
