using System.CommandLine;
using System.Globalization;
using Stamen.Cli.Commands;
using Stamen.Tests.Scenarios;
using Xunit.Abstractions;

namespace Stamen.Tests.Cli;

/// <summary>
/// Every option of every command, given values no option should accept (negative, the largest integer, 1e308, NaN, not a
/// number; for paths a folder and a missing folder): each run ends with a clean message, never a stack trace, and within a time
/// limit (a value that passes must be bounded, or the run would go on). Seeds are left out: every integer is a seed.
/// </summary>
[Collection("Fuzz")]
public sealed class CliOptionBoundsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Commands that serve until stopped, or start real servers and take minutes, are tested on their own.</summary>
    private static readonly string[] Skipped = ["serve", "registry", "profile", "validate", "reproduce"];

    /// <summary>Arguments a command needs before its options, so the run reaches the option's checks.</summary>
    private static string[] BaseArgs(string path)
    {
        var root = ScenarioFiles.RepositoryRoot;
        var small = Path.Combine(root, "examples", "measured-deployment.yaml");
        var cluster = Path.Combine(root, "data", "helix", "clusters", "cluster10.ini");
        return path switch
        {
            "compare" or "pareto" => [small],
            "plan" or "simulate" => [small, "-a", "petals"],
            "throughput" => [small, "-a", "petals"],
            "engine compare" or "engine sweep" => ["default"],
            "engine simulate" => ["default", "-p", "vllm"],
            "adapters train" => [Path.Combine(root, "data", "README.md")],
            "adapters plan" or "adapters verify" => ["default"],
            "helix flow" => [cluster, Path.Combine(root, "data", "helix", "layouts", "cluster10-llama1-30b", "petals_sol.ini")],
            "helix plan" => [cluster, "--planner", "swarm"],
            "helix simulate" => [cluster, "--planner", "swarm"],
            "helix milp" => [cluster],
            "generate" => ["--servers", "http://127.0.0.1:1", "--prompt-tokens", "1,2"],
            "report" => [Path.Combine(root, "data", "README.md")],
            "scenario validate" => [small],
            // `sweep run` and `submit` would run or submit the sweep on a value that passes; their options are tested in SweepCliTests.
            "sweep plan" or "sweep status" or "sweep collect" or "sweep report" => [Path.Combine(root, "examples", "sweeps", "geo-published.yaml")],
            _ => [],
        };
    }

    [Fact]
    public async Task BadOptionValues_GiveOneCleanLine_AndNeverRunUnbounded()
    {
        var folder = Directory.CreateTempSubdirectory("stamen-opt-").FullName;
        var failures = new List<string>();
        var cases = 0;
        try
        {
            foreach (var (path, command) in Leaves(StamenCli.Build(CliHarness.Capture(TextWriter.Null, TextWriter.Null)), ""))
            {
                if (Skipped.Any(s => path == s || path.StartsWith(s + " ", StringComparison.Ordinal))) continue;
                foreach (var option in command.Options)
                {
                    if (option.Name.Contains("seed", StringComparison.Ordinal) || option.Name is "--help" or "--version") continue;
                    foreach (var value in BadValues(option, folder))
                    {
                        cases++;
                        string[] args = [.. path.Split(' '), .. BaseArgs(path), option.Name, value];
                        if (Environment.GetEnvironmentVariable("STAMEN_OPTION_TRACE") is { Length: > 0 } trace) File.AppendAllText(trace, string.Join(' ', args) + "\n");
                        var run = Task.Run(() => CliHarness.Run(args));
                        if (await Task.WhenAny(run, Task.Delay(Limit)) != run) failures.Add($"stamen {string.Join(' ', args)}: still running after {Limit.TotalSeconds} s");
                        else if (Crashed(await run)) failures.Add($"stamen {string.Join(' ', args)}: exit {(await run).ExitCode}: {Head((await run).Error + (await run).Out)}");
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        output.WriteLine($"{cases} option values tried, {failures.Count} failures");
        Assert.True(cases > 200, $"only {cases} option values were tried");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static bool Crashed(CliResult r) => Support.CrashSigns.In(r.Error, r.Out);

    private static string Head(string s) => s.Length <= 400 ? s : s[..400] + "...";

    private static IEnumerable<string> BadValues(Option option, string folder)
    {
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        if (type == typeof(int) || type == typeof(long)) return ["-1", "2147483647", "abc"];
        if (type == typeof(double)) return ["-1", "1e308", "NaN", "abc"];
        // Paths: a folder, and a file in a folder that does not exist (never a device: a broken output check would replace it).
        if (type == typeof(string)) return [folder, Path.Combine(folder, "missing", "file")];
        return [];
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            if (sub.Subcommands.Count == 0) yield return (path, sub);
            else foreach (var leaf in Leaves(sub, path)) yield return leaf;
        }
    }
}
