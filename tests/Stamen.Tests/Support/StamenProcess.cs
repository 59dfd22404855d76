using System.Diagnostics;
using System.Globalization;

namespace Stamen.Tests.Support;

/// <summary>How a `stamen` process ended: exit code (null when it was killed at the time limit), its output, and its peak resident memory.</summary>
internal sealed record ProcessOutcome(int? ExitCode, string Out, string Error, long PeakKb, TimeSpan Wall)
{
    public bool TimedOut => ExitCode is null;

    /// <summary>A crash: a stack trace, an unhandled exception, or death by a signal (stack overflow aborts with 134).</summary>
    public bool Crashed => ExitCode is >= 128 || CrashSigns.In(Error, Out);
}

/// <summary>What a crash leaves in a command's output, in process or not: a stack trace, an unhandled exception, a stack overflow, memory exhausted.</summary>
internal static class CrashSigns
{
    public static bool In(string error, string output) =>
        error.Contains("Unhandled exception", StringComparison.Ordinal) || error.Contains("   at ", StringComparison.Ordinal)
        || output.Contains("   at Stamen", StringComparison.Ordinal) || error.Contains("Stack overflow", StringComparison.Ordinal)
        || error.Contains("OutOfMemory", StringComparison.Ordinal);
}

/// <summary>
/// Runs the built `stamen` (the CLI assembly beside the tests) as a child process, for what only a process shows: signals,
/// a time limit that can kill it, a managed-heap limit (<c>DOTNET_GCHeapHardLimit</c>), peak memory.
/// </summary>
internal static class StamenProcess
{
    public static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "stamen.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory = null, long? heapLimitBytes = null)
    {
        var start = new ProcessStartInfo(Host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        if (heapLimitBytes is { } limit) start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + limit.ToString("x", CultureInfo.InvariantCulture);
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <summary>Runs to the end or to <paramref name="limit"/> (then kills it), sampling its resident memory every 50 ms.</summary>
    public static ProcessOutcome Run(IEnumerable<string> args, TimeSpan limit, string? workingDirectory = null, long? heapLimitBytes = null)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(StartInfo(args, workingDirectory, heapLimitBytes))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peakKb = 0;
        var ended = false;
        while (clock.Elapsed < limit)
        {
            peakKb = Math.Max(peakKb, ResidentPeakKb(process.Id));
            if (process.WaitForExit(50))
            {
                ended = true;
                break;
            }
        }
        if (!ended)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return new ProcessOutcome(ended ? process.ExitCode : null, output.Result, errors.Result, peakKb, clock.Elapsed);
    }

    /// <summary>The process's peak resident set (VmHWM) from /proc, or 0 where there is no /proc.</summary>
    private static long ResidentPeakKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
