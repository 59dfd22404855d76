using System.Text.Json;
using Stamen.Scenarios.Split;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Cli;

public sealed class SplitCliTests
{
    [Fact]
    public void Plan_DefaultJson_EveryTypeHasEveryMethodAndThePlansCoverEveryLayer()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("split.json");
        Assert.Equal(0, CliHarness.Run("split", "plan", "--json", json, "--quiet").ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var types = doc.RootElement.GetProperty("request_types").EnumerateArray().ToList();
        Assert.Equal(SplitScenarioParser.Load(null).RequestTypes.Count, types.Count);
        foreach (var t in types)
        {
            var plans = t.GetProperty("plans").EnumerateArray().ToList();
            Assert.Equal(["dp", "greedy", "single-cut", "server-only", "fastest"], plans.Select(p => p.GetProperty("method").GetString()));
            Assert.All(plans, p => Assert.Equal(32, p.GetProperty("on_client").GetArrayLength()));
            Assert.False(t.TryGetProperty("dp_ms", out _), "wall-clock times belong in the timings block");
            var dp = plans[0];
            Assert.True(dp.GetProperty("meets_sla").GetBoolean());
            Assert.True(dp.GetProperty("latency_ms").GetDouble() <= t.GetProperty("sla_ms").GetDouble());
        }
    }

    [Fact]
    public void Plan_ImpossibleSla_SaysSoAndNamesTheFastestLatency()
    {
        using var folder = new TempFolder();
        var file = folder.FilePath("s.yaml");
        File.WriteAllText(file, SplitScenarioParser.DefaultYaml.Replace("sla_ms: 600", "sla_ms: 5", StringComparison.Ordinal));

        var result = CliHarness.Run("split", "plan", file, "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no placement meets the 5 ms SLA", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_DefaultJson_HasServerMetricsPerMethod()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("sim.json");
        Assert.Equal(0, CliHarness.Run("split", "simulate", "--json", json, "--quiet").ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var server = doc.RootElement.GetProperty("server").EnumerateArray().ToList();
        Assert.Equal(["dp", "greedy", "single-cut", "server-only"], server.Select(m => m.GetProperty("method").GetString()));
        Assert.All(server, m => Assert.InRange(m.GetProperty("utilisation").GetDouble(), 0, 1 + 1e-9));
        Assert.Equal(["plan", "rate_scale", "server", "report", "timings"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["scenario", "model", "server_gpu", "latency_step_ms", "methods", "request_types"],
            doc.RootElement.GetProperty("plan").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("device: phone-npu", "device: watch", "request_types[0].device", "unknown device")]
    [InlineData("sla_ms: 600", "sla_ms: 0", "request_types[0].sla_ms", "out of range")]
    [InlineData("model: llama-3.1-8b", "model: gpt-5", "model", "unknown model")]
    public void Parser_Mistake_NamesTheField(string from, string to, string field, string problem)
    {
        var e = Assert.Throws<StamenInputException>(() => SplitScenarioParser.ParseText(SplitScenarioParser.DefaultYaml.Replace(from, to, StringComparison.Ordinal), "s.yaml"));
        Assert.StartsWith(field, e.Field, StringComparison.Ordinal);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }
}
