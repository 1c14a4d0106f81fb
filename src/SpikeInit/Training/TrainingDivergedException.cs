namespace SpikeInit.Training;

/// <summary>The loss or a gradient became NaN or infinite.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException() { }
    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrainingDivergedException(string message, Exception inner) : base(message, inner) { }
}
