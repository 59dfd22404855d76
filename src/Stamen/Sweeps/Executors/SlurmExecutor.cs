using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stamen.Sweeps.Executors;

/// <summary>One array task's state as Slurm reports it.</summary>
public sealed record SlurmTaskState(string TaskId, string State);

/// <summary>
/// Runs a sweep as one Slurm job array: task K runs shard K of N with `stamen sweep run --shard`. Slurm schedules, Stamen
/// never does: a failed or killed task is redone by submitting again, which skips every run already in the store.
/// </summary>
public static class SlurmExecutor
{
    /// <summary>The sbatch script for <paramref name="settings"/>.</summary>
    public static string Script(string sweepName, JobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var n = settings.Shards;
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"# Written by `stamen sweep submit --executor slurm` for sweep {Comment(sweepName)}: {n} array tasks, task K runs shard K/{n}.\n");
        text.Append("# Submitting it again redoes only the runs missing from the store.\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={JobName(sweepName)}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{n - 1}{(settings.MaxRunning is { } m ? $"%{m}" : "")}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={settings.CpusPerTask}\n");
        text.Append("#SBATCH --ntasks=1\n");
        // %A: the job, %a: the task; sbatch does not take quotes here, so the store path must have no spaces (checked).
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(settings.Store, "slurm", "%A_%a.out")}\n");
        if (settings.Time is { } time) text.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={time}\n");
        if (settings.Memory is { } mem) text.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={mem}\n");
        if (settings.Partition is { } partition) text.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={partition}\n");
        text.Append("set -euo pipefail\n");
        text.Append(CultureInfo.InvariantCulture, $"cd {ShellQuote.Quote(settings.WorkingDirectory)}\n");
        text.Append(CultureInfo.InvariantCulture, $"exec {settings.TaskCommand("${SLURM_ARRAY_TASK_ID}")}\n");
        return text.ToString();
    }

    /// <summary>Slurm job names: letters, digits, '-', '_' and '.', at most 64.</summary>
    public static string JobName(string sweepName)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        var clean = new string([.. sweepName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
        return ("stamen-" + clean)[..Math.Min(64, 7 + clean.Length)];
    }

    private static string Comment(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>Submits <paramref name="scriptPath"/> with `sbatch --parsable`; returns the job id.</summary>
    public static string Submit(string scriptPath, string workingDirectory)
    {
        var (code, output, error) = Execute("sbatch", ["--parsable", scriptPath], workingDirectory);
        if (code != 0)
            throw new StamenInputException(scriptPath, "sbatch", $"Slurm refused the job (exit {code}): {error.Trim()}", "check the partition, time and memory options, and `sinfo`");
        var id = output.Trim().Split(';')[0];
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new StamenInputException(scriptPath, "sbatch", $"sbatch printed '{output.Trim()}' instead of a job id", "check the Slurm installation (`sbatch --version`)");
        return id;
    }

    /// <summary>The states of a job's array tasks still known to the controller (pending, running, or recently finished).</summary>
    public static IReadOnlyList<SlurmTaskState>? Query(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        try
        {
            var (code, output, _) = Execute("squeue", ["-h", "-r", "-j", jobId, "-o", "%i %T"], Directory.GetCurrentDirectory());
            if (code != 0) return [];
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).Select(p => new SlurmTaskState(p[0], p[1]))];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no squeue on this machine
        }
    }

    /// <summary>Whether `sbatch` can be started here.</summary>
    public static bool Available()
    {
        try
        {
            return Execute("sbatch", ["--version"], Directory.GetCurrentDirectory()).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int Code, string Output, string Error) Execute(string program, IReadOnlyList<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new StamenInputException(program, "(command)", "did not answer within 60 s", "check that the Slurm controller is up (`sinfo`)");
        }
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
