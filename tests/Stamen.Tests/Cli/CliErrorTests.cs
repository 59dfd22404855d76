using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Cli;

/// <summary>A user mistake ends the command with exit code 2 and one `error:` line naming the file, never a stack trace.</summary>
public sealed class CliErrorTests
{
    public static TheoryData<string, string, string> BadScenarios => new()
    {
        { "unknown GPU", "a100-80gb: 0.25", "a100-90gb: 0.25" },
        { "negative rate", "rate_per_s: 0.5", "rate_per_s: -1" },
        { "typo", "seed: 3", "sede: 3" },
        { "unknown algorithm", "[petals, cg-bp+ws-rr]", "[petals, cg-bp+wsrr]" },
        { "unclosed bracket", "  count: 12", "  count: [12" },
        { "model cannot fit", "count: 12\n  gpus: {a100-80gb: 0.25, a100-mig-1g.10gb: 0.75}", "count: 2\n  gpus: {a100-mig-1g.10gb: 2}" },
    };

    private static void AssertOneErrorLine(CliResult result, string file, string fieldOrWord)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(fieldOrWord, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadScenarios))]
    public void ScenarioValidate_BadScenario_OneErrorLineExitTwo(string kind, string from, string to)
    {
        Assert.Contains(from, ScenarioFiles.Small, StringComparison.Ordinal);
        using var folder = new TempFolder();
        var path = folder.Write("bad.yaml", ScenarioFiles.Small.Replace(from, to, StringComparison.Ordinal));
        var result = CliHarness.Run("scenario", "validate", path);
        AssertOneErrorLine(result, path, kind switch
        {
            "unknown GPU" => "servers.gpus",
            "negative rate" => "rate_per_s",
            "typo" => "sede",
            "unknown algorithm" => "cg-bp+wsrr",
            "unclosed bracket" => "line 8",
            _ => "servers",
        });
    }

    [Fact]
    public void ScenarioValidate_MissingFile_OneErrorLineExitTwo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stamen-missing-{Guid.NewGuid():N}.yaml");
        AssertOneErrorLine(CliHarness.Run("scenario", "validate", path), path, "not found");
    }

    [Fact]
    public void Compare_MissingFile_OneErrorLineExitTwo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stamen-missing-{Guid.NewGuid():N}.yaml");
        AssertOneErrorLine(CliHarness.Run("compare", path, "--quiet"), path, "not found");
    }

    [Fact]
    public void Plan_UnknownAlgorithm_OneErrorLineExitTwo()
    {
        AssertOneErrorLine(CliHarness.Run("plan", "default", "-a", "petalz"), "built-in default scenario", "petalz");
    }

    [Fact]
    public void ScenarioValidate_Example_IsValid()
    {
        var result = CliHarness.Run("scenario", "validate", ScenarioFiles.ExamplePath("clustered.yaml"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("valid", result.Out, StringComparison.Ordinal);
    }
}
