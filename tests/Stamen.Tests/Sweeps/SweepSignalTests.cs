using System.Diagnostics;
using Stamen.Sweeps;
using Stamen.Tests.Support;

namespace Stamen.Tests.Sweeps;

/// <summary>
/// Stopping `stamen sweep run` (Ctrl+C's SIGINT, or SIGTERM as a batch system sends): the process keeps what finished (a
/// readable store), exits 130 ("stopped"), and a rerun does the rest once. The test sends SIGTERM; both signals take the
/// same path (StamenCli.RunProcessAsync cancels the command's token).
/// </summary>
public sealed class SweepSignalTests
{
    [Fact]
    public void A_stopped_run_keeps_the_finished_runs_and_a_rerun_completes_the_store()
    {
        if (OperatingSystem.IsWindows()) return; // a POSIX signal
        var dir = Directory.CreateTempSubdirectory("stamen-sigint-").FullName;
        var file = SweepFiles.Write(dir, SweepFiles.Small(runs: 300).Replace("values: [30]", "values: [600]", StringComparison.Ordinal));
        var store = new SweepStore(Path.Combine(dir, "store"));
        var plan = SweepPlanner.Plan(SweepParser.ParseFile(file));

        var output = new System.Text.StringBuilder();
        var errors = new System.Text.StringBuilder();
        using var run = new Process { StartInfo = StamenProcess.StartInfo(["sweep", "run", file, "--store", store.Directory, "--parallel", "1", "--quiet"], dir) };
        run.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        run.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        run.Start();
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        var signalledAt = TimeSpan.Zero;
        try
        {
            // Stopped while items run: the store folder is claimed as the run starts, and about 2 s later the first
            // items are done (the whole sweep takes several seconds). Polled with sleeps: an awaited delay can be late.
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(store.Directory, "store.json")) && !run.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Thread.Sleep(TimeSpan.FromSeconds(2));
            Assert.False(run.HasExited, $"the sweep ended before it could be stopped: {output}");
            signalledAt = clock.Elapsed;
            Assert.Equal(0, Signals.Kill(run.Id, Signals.Terminate));
            Assert.True(run.WaitForExit(TimeSpan.FromSeconds(60)), "still running 60 s after the signal");
            run.WaitForExit(); // drains the output events
        }
        finally
        {
            if (!run.HasExited) run.Kill();
        }
        Assert.True(run.ExitCode == 130, $"exit {run.ExitCode} (signalled at {signalledAt.TotalSeconds:0.0} s): {errors} {output}"); // "stopped", whichever signal
        Assert.Contains("run the same command again to finish", errors.ToString(), StringComparison.Ordinal);
        var partial = store.Read(plan);
        Assert.InRange(partial.Rows.Count, 1, plan.RunCount - 1);
        Assert.Empty(Directory.GetFiles(store.Directory, ".*.tmp")); // no temporary file left behind

        var rest = SweepRunner.Run(plan, store, SweepShard.All);
        Assert.Equal(partial.Rows.Count / 2, rest.Skipped);
        var done = store.Read(plan);
        Assert.Equal(plan.RunCount, done.Rows.Count);
        Assert.Equal(0, done.Duplicates);
    }
}
