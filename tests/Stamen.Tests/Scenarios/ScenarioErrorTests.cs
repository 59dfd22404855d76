using Stamen.Scenarios;

namespace Stamen.Tests.Scenarios;

/// <summary>
/// Each kind of bad scenario input gives a <see cref="StamenInputException"/> that names the
/// scenario file and the field at fault (with its line where the parser knows it).
/// </summary>
public sealed class ScenarioErrorTests
{
    /// <summary>Writes <paramref name="yaml"/> as a scenario, parses and resolves it, and returns the error.</summary>
    private static (StamenInputException Error, string Path) Fail(string yaml)
    {
        using var folder = new TempFolder();
        var path = folder.Write("scenario.yaml", yaml);
        var error = Assert.Throws<StamenInputException>(() => ScenarioResolver.Create(ScenarioParser.ParseFile(path)));
        return (error, path);
    }

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, ScenarioFiles.Small, StringComparison.Ordinal);
        return ScenarioFiles.Small.Replace(from, to, StringComparison.Ordinal);
    }

    private static void AssertNames(StamenInputException e, string path, string fieldPrefix, string inProblem)
    {
        Assert.Equal(path, e.File);
        Assert.StartsWith(fieldPrefix, e.Field, StringComparison.Ordinal);
        Assert.Contains(inProblem, e.Problem, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(fieldPrefix, e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Fix));
    }

    [Fact]
    public void Small_IsValid()
    {
        // The base every error case edits must itself be valid, or the cases prove nothing.
        using var folder = new TempFolder();
        var resolver = ScenarioResolver.Create(ScenarioParser.ParseFile(folder.Write("ok.yaml", ScenarioFiles.Small)));
        Assert.Equal(12, resolver.ServerCount);
    }

    [Fact]
    public void ParseFile_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stamen-missing-{Guid.NewGuid():N}.yaml");
        var e = Assert.Throws<StamenInputException>(() => ScenarioParser.ParseFile(path));
        Assert.Equal(path, e.File);
        Assert.Contains("not found", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownGpuInMix_NamesServersGpus()
    {
        var (e, path) = Fail(Replace("a100-80gb: 0.25", "a100-90gb: 0.25"));
        AssertNames(e, path, "servers.gpus", "a100-90gb");
    }

    [Fact]
    public void Create_UnknownGpuInList_NamesTheListedServer()
    {
        var (e, path) = Fail(Replace("""
              count: 12
              gpus: {a100-80gb: 0.25, a100-mig-1g.10gb: 0.75}
            """, """
              list:
                - {name: a, gpu: a100-80gb, rtt_ms: {user: 50}}
                - {name: b, gpu: h900, rtt_ms: {user: 50}}
            """));
        AssertNames(e, path, "servers.list[1].gpu", "h900");
    }

    [Theory]
    [InlineData("-0.5")]
    [InlineData("0")]
    public void Parse_NonPositiveRate_NamesRateWithItsLine(string rate)
    {
        var (e, path) = Fail(Replace("rate_per_s: 0.5", $"rate_per_s: {rate}"));
        AssertNames(e, path, "workload.poisson.rate_per_s (line 13)", "out of range");
    }

    [Fact]
    public void Create_ModelThatCannotFit_NamesServersAndTheModel()
    {
        var (e, path) = Fail(Replace("""
              count: 12
              gpus: {a100-80gb: 0.25, a100-mig-1g.10gb: 0.75}
            """, """
              list:
                - {name: a, gpu: a100-mig-1g.10gb, rtt_ms: {user: 50}}
                - {name: b, gpu: a100-mig-1g.10gb, rtt_ms: {user: 50}}
            """));
        AssertNames(e, path, "servers", "bloom-176b");
        Assert.Contains("blocks", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownModel_NamesModel()
    {
        var (e, path) = Fail(Replace("model: bloom-176b", "model: bloom-177b"));
        AssertNames(e, path, "model", "bloom-177b");
    }

    [Fact]
    public void Parse_UnknownFieldTypo_NamesFieldAndLine()
    {
        var (e, path) = Fail(Replace("seed: 3", "sede: 3"));
        AssertNames(e, path, "sede (line 2)", "unknown field 'sede'");
    }

    [Fact]
    public void Parse_UnknownNestedField_NamesItsPath()
    {
        var (e, path) = Fail(Replace("prompt_tokens: 20", "prompt_token: 20"));
        AssertNames(e, path, "workload.poisson.prompt_token (line 13)", "unknown field");
    }

    [Fact]
    public void Create_UnknownAlgorithm_NamesIt()
    {
        var (e, path) = Fail(Replace("algorithms: [petals, cg-bp+ws-rr]", "algorithms: [petals, cg-bp+wsrr]"));
        AssertNames(e, path, "algorithms[1]", "unknown algorithm 'cg-bp+wsrr'");
    }

    [Fact]
    public void Create_UnknownClientNode_NamesClientNode()
    {
        var (e, path) = Fail(Replace("node: random", "node: atlantis"));
        AssertNames(e, path, "clients[0].node", "atlantis");
    }

    [Fact]
    public void Create_UnknownServerNode_NamesServerNode()
    {
        var (e, path) = Fail(Replace("""
              count: 12
              gpus: {a100-80gb: 0.25, a100-mig-1g.10gb: 0.75}
            """, """
              list:
                - {name: a, gpu: a100-80gb, node: atlantis}
            """));
        AssertNames(e, path, "servers.list[0].node", "atlantis");
    }

    [Fact]
    public void Parse_MissingTraceFile_NamesTracePath()
    {
        var (e, path) = Fail(Replace("poisson: {rate_per_s: 0.5, requests: 10, prompt_tokens: 20, output_tokens: 64}",
            "trace: {path: no-such-trace.csv}"));
        AssertNames(e, path, "workload.trace.path (line 13)", "no-such-trace.csv");
    }

    [Fact]
    public void Parse_FractionsNotSummingToOne_NamesGpus()
    {
        var (e, path) = Fail(Replace("a100-mig-1g.10gb: 0.75", "a100-mig-1g.10gb: 0.5"));
        AssertNames(e, path, "servers.gpus (line 9)", "sum to 0.75");
    }

    [Fact]
    public void Parse_UnclosedBracket_NamesItsLine()
    {
        // YamlDotNet throws InvalidOperationException here, not YamlException; it must still be a clear input error.
        var (e, path) = Fail(Replace("  count: 12", "  count: [12"));
        Assert.Equal(path, e.File);
        Assert.Equal("(line 8)", e.Field);
        Assert.Contains("not valid YAML", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadIndentation_NamesALine()
    {
        var (e, path) = Fail(Replace("  count: 12", "   count: 12"));
        Assert.Equal(path, e.File);
        Assert.Matches(@"^\(line \d+\)$", e.Field);
        Assert.Contains("not valid YAML", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AllocationForAlgorithmNotInScenario_NamesTheKey()
    {
        var (e, path) = Fail(ScenarioFiles.Small + "\ndelays: {preset: published, allocation_ms: {cg-bprr: 1000}}\n");
        AssertNames(e, path, "delays.allocation_ms.cg-bprr", "not an algorithm of this scenario");
    }
}
