using System.Diagnostics;
using System.Text.Json;
using Stamen.Sweeps;
using Stamen.Tests.Support;

namespace Stamen.Tests.Sweeps;

/// <summary>
/// The Slurm executor against a real Slurm (the single-node cluster .ci/slurm-up.sh starts): a job array's merged results
/// equal the local executor's run for run, and a task killed mid-run is redone by submitting again, nothing lost or twice.
/// Skipped, with the reason, where no Slurm answers.
/// </summary>
public sealed class SlurmSweepTests
{
    private static readonly TimeSpan JobLimit = TimeSpan.FromMinutes(6);

    [SkippableFact]
    public void A_job_array_equals_the_local_run_and_a_killed_task_is_redone_by_resubmitting()
    {
        Skip.IfNot(SlurmAnswers(out var why), why);
        var dir = Directory.CreateTempSubdirectory("stamen-slurm-").FullName;
        // 2 cells x 12 runs = 24 items, 6 per task: long enough (with the process start) for a task to be killed while it runs.
        var file = SweepFiles.Write(dir, SweepFiles.Small(runs: 12).Replace("values: [30]", "values: [120]", StringComparison.Ordinal));
        var plan = SweepPlanner.Plan(SweepParser.ParseFile(file));
        var local = new SweepStore(Path.Combine(dir, "local"));
        SweepRunner.Run(plan, local, SweepShard.All);
        var expected = local.Read(plan).Rows;

        // 1. Four array tasks, merged: the local rows exactly.
        var store = new SweepStore(Path.Combine(dir, "slurm"));
        var job = Submit(file, store, dir);
        WaitFor(job);
        Assert.Equal(4, store.Files().Count);
        var collected = StamenProcess.Run(["sweep", "collect", file, "--store", store.Directory], TimeSpan.FromMinutes(2), dir);
        Assert.True(collected.ExitCode == 0, collected.Error);
        Assert.Contains("the sweep is complete", collected.Out, StringComparison.Ordinal);
        AssertSame(expected, SweepStore.ReadFile(store.MergedPath, Axes(plan)));

        // 2. A task killed while it runs leaves runs missing; submitting again redoes exactly those.
        var killed = new SweepStore(Path.Combine(dir, "killed"));
        var first = Submit(file, killed, dir);
        var victim = KillFirstRunningTask(first);
        WaitFor(first);
        var before = killed.Read(plan);
        Assert.True(before.Rows.Count < plan.RunCount, $"task {victim} finished before it was killed; nothing was left to resume");
        var second = Submit(file, killed, dir);
        WaitFor(second);
        var after = killed.Read(plan);
        Assert.Equal(0, after.Duplicates);
        AssertSame(expected, after.Rows);
        var log = File.ReadAllText(Path.Combine(killed.Directory, "slurm", "jobs.txt"));
        Assert.Equal(2, log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static HashSet<string> Axes(SweepPlan plan) => [.. plan.Definition.Axes.Select(a => a.Name)];

    private static void AssertSame(IReadOnlyList<SweepRecord> expected, IReadOnlyList<SweepRecord> actual)
    {
        Assert.Equal(expected.Select(r => r.RunId), actual.Select(r => r.RunId));
        for (var i = 0; i < expected.Count; i++) Assert.True(expected[i].SameResults(actual[i] with { Cell = expected[i].Cell }), $"run {expected[i].RunId} differs");
    }

    private static string Submit(string file, SweepStore store, string dir)
    {
        var json = Path.Combine(dir, $"submit-{Guid.NewGuid():N}.json");
        var outcome = StamenProcess.Run(["sweep", "submit", file, "--executor", "slurm", "--shards", "4", "--store", store.Directory,
            "--stamen", $"{StamenProcess.Host} {StamenProcess.Dll}", "--json", json], TimeSpan.FromMinutes(2), dir);
        Assert.True(outcome.ExitCode == 0, $"submit failed: {outcome.Error}{outcome.Out}");
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.GetProperty("job_id").GetString()!;
    }

    private static string KillFirstRunningTask(string job)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < JobLimit)
        {
            var running = Run("squeue", "-h", "-j", job, "-t", "RUNNING", "-o", "%i").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (running.Length > 0)
            {
                Assert.Equal(0, Run("scancel", "--signal=KILL", running[0]).Code);
                return running[0];
            }
            Thread.Sleep(50);
        }
        Assert.Fail($"no task of job {job} ran within {JobLimit}");
        return "";
    }

    private static void WaitFor(string job)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < JobLimit)
        {
            if (Run("squeue", "-h", "-j", job, "-o", "%i").Output.Trim().Length == 0) return;
            Thread.Sleep(250);
        }
        Run("scancel", job);
        Assert.Fail($"job {job} did not end within {JobLimit}");
    }

    /// <summary>Whether a Slurm controller answers with a node ready to run (bounded: a dead munged makes sinfo wait ~50 s).</summary>
    private static bool SlurmAnswers(out string why)
    {
        why = "Slurm is not running here: start a one-node cluster with `bash .ci/slurm-up.sh` (CI does) to run this test";
        try
        {
            var (code, output) = Run("sinfo", "-h", "-o", "%T");
            return code == 0 && output.Split('\n').Any(s => s.Trim() is "idle" or "mixed" or "allocated" or "completing");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "");
        }
        _ = error.Result;
        return (process.ExitCode, output.Result);
    }
}
