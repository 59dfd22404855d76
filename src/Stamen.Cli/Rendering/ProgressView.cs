using Spectre.Console;
using Stamen.Experiments;

namespace Stamen.Cli.Rendering;

/// <summary>
/// Shows a progress bar for long work when the console is an interactive terminal; otherwise runs silently
/// (CI logs, pipes and captured writers get the results, not a redraw stream).
/// </summary>
internal static class ProgressView
{
    public static T Run<T>(IAnsiConsole console, string description, bool quiet, Func<IProgress<ExperimentProgress>?, T> work)
    {
        // IsTerminal: the writer is standard output and that is not redirected.
        if (quiet || !console.Profile.Out.IsTerminal || !console.Profile.Capabilities.Interactive)
            return work(null);
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description));
                result = work(new SynchronousProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = Math.Max(task.Value, p.Done);
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>Reports on the calling thread; Spectre's task is thread-safe.</summary>
    private sealed class SynchronousProgress(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
