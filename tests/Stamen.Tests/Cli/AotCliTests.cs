using System.Diagnostics;
using Stamen.Tests.Scenarios;
using Stamen.Tests.Support;

namespace Stamen.Tests.Cli;

/// <summary>
/// The Native AOT build (`STAMEN_AOT=1 ./stamen` publishes it where clang is installed) against the JIT build, in process
/// here: on every example the JSON results must be the same bytes but for wall-clock timings and the command line. A
/// trimming or reflection break in the AOT build (a catalog that no longer parses, a JSON field that vanishes) fails here,
/// not for a user. Skipped, with the reason, where no AOT build as new as the sources exists (CI builds none yet: the AOT
/// build still writes JSON by reflection, which fails, docs/benchmarks.md section 17).
/// </summary>
public sealed class AotCliTests
{
    private static string AotDirectory => Path.Combine(ScenarioFiles.RepositoryRoot, "src", "Stamen.Cli", "bin", "aot");

    /// <summary>The AOT binary, or why there is none to test.</summary>
    private static (string? Binary, string Why) Find()
    {
        var binary = Environment.GetEnvironmentVariable("STAMEN_AOT_BINARY") is { Length: > 0 } given ? given : Path.Combine(AotDirectory, "stamen");
        var stamp = Path.Combine(AotDirectory, ".built");
        if (!File.Exists(binary) || (Environment.GetEnvironmentVariable("STAMEN_AOT_BINARY") is null && !File.Exists(stamp)))
            return (null, $"no Native AOT build at {binary}: run STAMEN_AOT=1 ./stamen --version where clang is installed");
        if (Environment.GetEnvironmentVariable("STAMEN_AOT_BINARY") is null)
        {
            var built = File.GetLastWriteTimeUtc(stamp);
            var src = Path.Combine(ScenarioFiles.RepositoryRoot, "src");
            var newer = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                .FirstOrDefault(f => File.GetLastWriteTimeUtc(f) > built);
            if (newer is not null) return (null, $"the Native AOT build is older than {newer}: run STAMEN_AOT=1 ./stamen --version to publish it again");
        }
        return (binary, "");
    }

    /// <summary>Each example with the command that reads it.</summary>
    public static List<string[]> Cases()
    {
        var data = new List<string[]>();
        var examples = Path.Combine(ScenarioFiles.RepositoryRoot, "examples");
        foreach (var file in Directory.EnumerateFiles(examples, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(examples, file!);
            string[]? args = file switch
            {
                _ when file!.StartsWith("engine-", StringComparison.Ordinal) => ["engine", "simulate", path, "-p", "vllm", "-q"],
                _ when file.StartsWith("adapters-100-", StringComparison.Ordinal) => ["adapters", "plan", path, "-q"],
                // The larger workloads with the methods that need no twin at each check (the twin's checks take minutes there).
                _ when file.StartsWith("adapters-", StringComparison.Ordinal) => ["adapters", "plan", path, "-m", "random,max-backbone,rank-aware", "-q"],
                "helix-cluster10.yaml" => null, // a sweep cell: read by the helix-cluster10 sweep below
                _ => ["compare", path, "--runs", "1", "-q"],
            };
            if (args is not null) data.Add(args);
        }
        foreach (var sweep in Directory.EnumerateFiles(Path.Combine(examples, "sweeps"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            data.Add(["sweep", "plan", Path.Combine(examples, "sweeps", sweep!), "--all"]);
        data.Add(["split", "plan", "default", "-q"]);
        return data;
    }

    [SkippableFact]
    public void The_aot_build_writes_the_jit_builds_json_on_every_example()
    {
        var (binary, why) = Find();
        Skip.If(binary is null, why);
        var cases = Cases();
        Assert.True(cases.Count >= 20, $"only {cases.Count} examples found");
        var failures = cases.Select(args => Difference(binary!, args)).OfType<string>().ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} examples differ:\n" + string.Join("\n", failures));
    }

    /// <summary>Why the AOT build's JSON for <paramref name="args"/> is not the JIT build's, or null when it is.</summary>
    private static string? Difference(string binary, string[] args)
    {
        using var folder = new TempFolder();
        var aotJson = Path.Combine(folder.Path, "aot.json");
        var jitJson = Path.Combine(folder.Path, "jit.json");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ScenarioFiles.RepositoryRoot,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var a in new[] { "--json", aotJson }) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var name = string.Join(' ', args.Select(a => a.StartsWith(ScenarioFiles.RepositoryRoot, StringComparison.Ordinal) ? Path.GetFileName(a) : a));
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return $"{name}: the AOT build ran past 3 minutes";
        }
        if (process.ExitCode != 0) return $"{name}: AOT exit {process.ExitCode}: {error.Result.Split('\n')[0]}";
        // The JIT build, in process (the paths are absolute, so the folder each runs in does not matter).
        var jit = CliHarness.Run([.. args, "--json", jitJson]);
        if (jit.ExitCode != 0) return $"{name}: JIT exit {jit.ExitCode}: {jit.Error}";
        return JsonResults.WithoutWallClock(jitJson) == JsonResults.WithoutWallClock(aotJson) ? null : $"{name}: the JSON differs";
    }
}
