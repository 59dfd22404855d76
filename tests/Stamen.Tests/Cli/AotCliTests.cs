using System.Diagnostics;
using Stamen.Tests.Scenarios;
using Stamen.Tests.Support;

namespace Stamen.Tests.Cli;

/// <summary>
/// The Native AOT build (`./stamen` publishes it where clang is installed) against the JIT build, in process here: on every
/// example, and on the commands that reach the solvers' natives, the sweep store (Parquet) and the swarm runtime (Kestrel),
/// the JSON results must be the same bytes but for wall-clock timings and the command line. A trimming or reflection break
/// in the AOT build (a catalog that no longer parses, a JSON field that vanishes) fails here, not for a user. Where no AOT
/// build as new as the sources exists the tests skip with the reason, except under STAMEN_AOT_REQUIRED=1 (CI publishes
/// one first), where they fail.
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
            return (null, $"no Native AOT build at {binary}: run ./stamen --version where clang is installed");
        if (Environment.GetEnvironmentVariable("STAMEN_AOT_BINARY") is null)
        {
            var built = File.GetLastWriteTimeUtc(stamp);
            var src = Path.Combine(ScenarioFiles.RepositoryRoot, "src");
            var newer = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                .FirstOrDefault(f => File.GetLastWriteTimeUtc(f) > built);
            if (newer is not null) return (null, $"the Native AOT build is older than {newer}: run ./stamen --version to publish it again");
        }
        return (binary, "");
    }

    /// <summary>The AOT binary; skips (or fails, under STAMEN_AOT_REQUIRED=1) where there is none to test.</summary>
    private static string Binary()
    {
        var (binary, why) = Find();
        if (binary is null && Environment.GetEnvironmentVariable("STAMEN_AOT_REQUIRED") == "1")
            Assert.Fail(why + " (STAMEN_AOT_REQUIRED=1: CI must publish it before the tests)");
        Skip.If(binary is null, why);
        return binary!;
    }

    /// <summary>Each example with the command that reads it, then commands that reach what the examples do not.</summary>
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
        data.Add(["split", "simulate", "default", "-q"]);
        data.Add(["plan", "default", "-a", "petals"]);
        data.Add(["pareto", "default", "--weight", "0.25"]);
        data.Add(["catalog", "gpus"]);
        data.Add(["catalog", "engine-policies"]);
        data.Add(["scenario", "validate", Path.Combine(examples, "clustered.yaml")]);
        data.Add(["engine", "compare", "-q"]);
        data.Add(["engine", "sweep", "--factors", "0.5,1", "-q"]);
        data.Add(["throughput", "default", "-a", "petals", "--users", "8", "--duration-s", "30", "--warmup-s", "0", "-q"]);
        // The MILP solvers' natives (OR-Tools' CP-SAT and CBC) from the AOT build.
        data.Add(["reproduce", "milp-gap", "--instances", "1", "--seed", "3", "-q"]);
        var helix = Path.Combine(ScenarioFiles.RepositoryRoot, "data", "helix");
        data.Add(["helix", "flow", Path.Combine(helix, "clusters", "single24.ini"), Path.Combine(helix, "layouts", "single24-llama2-70b", "ilp_sol.ini"), "-q"]);
        data.Add(["helix", "simulate", Path.Combine(helix, "clusters", "single24.ini"), Path.Combine(helix, "layouts", "single24-llama2-70b", "ilp_sol.ini"),
            "--warmup-s", "5", "--duration-s", "30", "-q"]);
        return data;
    }

    [SkippableFact]
    public void The_aot_build_writes_the_jit_builds_json_on_every_example()
    {
        var binary = Binary();
        var cases = Cases();
        Assert.True(cases.Count >= 35, $"only {cases.Count} cases found");
        var failures = cases.Select(args => Difference(binary, args)).OfType<string>().ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases differ:\n" + string.Join("\n", failures));
    }

    [SkippableFact]
    public void A_sweep_run_by_the_aot_build_reports_what_the_jit_builds_run_reports()
    {
        var binary = Binary();
        using var folder = new TempFolder();
        var sweep = Path.Combine(ScenarioFiles.RepositoryRoot, "examples", "sweeps", "helix-cluster10.yaml");
        var aotStore = Path.Combine(folder.Path, "aot");
        var jitStore = Path.Combine(folder.Path, "jit");
        var (code, error) = RunAot(binary, ["sweep", "run", sweep, "--store", aotStore, "-q"]);
        Assert.True(code == 0, error);
        (code, error) = RunAot(binary, ["sweep", "collect", sweep, "--store", aotStore]);
        Assert.True(code == 0, error);
        var aotReport = Path.Combine(folder.Path, "aot.json");
        (code, error) = RunAot(binary, ["sweep", "report", sweep, "--store", aotStore, "--json", aotReport]);
        Assert.True(code == 0, error);
        Assert.Equal(0, CliHarness.Run("sweep", "run", sweep, "--store", jitStore, "-q").ExitCode);
        var jitReport = Path.Combine(folder.Path, "jit.json");
        Assert.Equal(0, CliHarness.Run("sweep", "report", sweep, "--store", jitStore, "--json", jitReport).ExitCode);
        // The same rows (Parquet written and read back by the AOT build) give the same means; only the store's path differs.
        Assert.Equal(JsonResults.WithoutWallClock(jitReport).Replace(jitStore, "STORE", StringComparison.Ordinal),
            JsonResults.WithoutWallClock(aotReport).Replace(aotStore, "STORE", StringComparison.Ordinal));
        Assert.Contains("\"mean\"", File.ReadAllText(aotReport), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_aot_build_runs_a_real_swarm_and_generates_the_single_process_tokens()
    {
        var binary = Binary();
        using var folder = new TempFolder();
        var json = Path.Combine(folder.Path, "validate.json");
        var (code, error) = RunAot(binary, ["validate", "--model", "tiny", "--layout", "0:1,1:4", "--rtt-ms", "5,10", "--prompt-tokens", "8", "--new-tokens", "4",
            "--requests", "1", "--json", json]);
        Assert.True(code == 0, error);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Single(results);
        Assert.True(results[0].GetProperty("tokens_equal_local").GetBoolean());
    }

    /// <summary>Runs the AOT build to its end (at most 3 minutes): its exit code and standard error.</summary>
    private static (int Code, string Error) RunAot(string binary, string[] args)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ScenarioFiles.RepositoryRoot,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{string.Join(' ', args)}: the AOT build ran past 3 minutes");
        }
        _ = output.Result;
        return (process.ExitCode, error.Result);
    }

    /// <summary>Why the AOT build's JSON for <paramref name="args"/> is not the JIT build's, or null when it is.</summary>
    private static string? Difference(string binary, string[] args)
    {
        using var folder = new TempFolder();
        var aotJson = Path.Combine(folder.Path, "aot.json");
        var jitJson = Path.Combine(folder.Path, "jit.json");
        var name = string.Join(' ', args.Select(a => a.StartsWith(ScenarioFiles.RepositoryRoot, StringComparison.Ordinal) ? Path.GetFileName(a) : a));
        var (code, error) = RunAot(binary, [.. args, "--json", aotJson]);
        if (code != 0) return $"{name}: AOT exit {code}: {error.Split('\n')[0]}";
        // The JIT build, in process (the paths are absolute, so the folder each runs in does not matter).
        var jit = CliHarness.Run([.. args, "--json", jitJson]);
        if (jit.ExitCode != 0) return $"{name}: JIT exit {jit.ExitCode}: {jit.Error}";
        return JsonResults.WithoutWallClock(jitJson) == JsonResults.WithoutWallClock(aotJson) ? null : $"{name}: the JSON differs";
    }
}
