using Spectre.Console;

namespace SpikeInit.Cli;

/// <summary>The one progress bar of the command line (on standard error): description, bar, percentage, elapsed and remaining time.</summary>
internal static class ProgressDisplay
{
    /// <summary>
    /// Runs <paramref name="body"/> under a progress bar (none with <c>--quiet</c>/<c>--json</c>); the body reports through the
    /// callback (value, maximum, text). Reports arrive on the calling thread (unlike <see cref="Progress{T}"/>).
    /// </summary>
    public static T Run<T>(RunContext ctx, string title, Func<Action<double, double, string>, T> body)
    {
        if (ctx.Progress is null) return body((_, _, _) => { });
        T result = default!;
        ctx.Progress.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask(Markup.Escape(title));
                result = body((value, max, text) =>
                {
                    task.MaxValue = max;
                    task.Value = value;
                    task.Description = Markup.Escape(text);
                });
            });
        return result;
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls <paramref name="report"/> synchronously.</summary>
    public static IProgress<T> Of<T>(Action<T> report) => new Callback<T>(report);

    private sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
