using System.Runtime.InteropServices;

namespace SpikeInit.Training;

/// <summary>
/// Turns SIGINT (Ctrl-C) and SIGTERM (a scheduler's or <c>kill</c>'s stop) into a cancellation, so that training
/// checkpoints and exits cleanly on either instead of being killed mid-epoch.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;

    /// <summary>Starts turning SIGINT and SIGTERM into a cancellation of <see cref="Token"/>.</summary>
    public StopSignals() =>
        registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;                  // do not terminate: the trainer checkpoints and returns
            source.Cancel();
        }))];

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration r in registrations) r.Dispose();
        source.Dispose();
    }
}
