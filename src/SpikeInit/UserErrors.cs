using System.Runtime.InteropServices;
using System.Text.Json;

namespace SpikeInit;

/// <summary>
/// Tells errors a user can cause (a file, an option, the environment) from bugs, and words the former as one line. The
/// library validates before use, so these exceptions carry messages that name the file or option and the valid range;
/// libtorch's <see cref="ExternalException"/> and .NET's parse and overflow exceptions are translated where they still
/// occur. Anything else (a <see cref="NullReferenceException"/>, an index error) is a bug and is not described here.
/// </summary>
public static class UserErrors
{
    /// <summary>
    /// One line for an error a user can cause, or null for a bug (which should show its stack trace). Out-of-memory is a
    /// user error whose line suggests a smaller size or <c>--max-memory</c>.
    /// </summary>
    public static string? Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            OutOfMemoryException or InsufficientExecutionStackException =>
                $"out of memory ({Validate.Message(error)}): choose smaller sizes, or set a lower --max-memory so that oversized jobs are refused before they start (now {MemoryBudget.Describe(MemoryBudget.Bytes)})",
            ExternalException e when e.Message.Contains("alloc", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("memory", StringComparison.OrdinalIgnoreCase) =>
                $"libtorch could not allocate memory ({Validate.Message(e)}): choose smaller sizes or a lower --max-memory",
            ExternalException e => "libtorch refused the input: " + Validate.Message(e),
            ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException
                or FormatException or OverflowException or JsonException or NotSupportedException => Validate.Message(error),
            _ => null,
        };
    }
}
