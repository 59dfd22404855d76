using System.Text.Json;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Cli;

/// <summary>`stamen engine compare|simulate` run in-process and write the promised files.</summary>
public sealed class EngineCliTests
{
    private static readonly string[] RequiredMetrics =
        ["throughput_tokens_per_s", "mean_ttft_s", "mean_itl_s", "p99_ttft_s", "kv_waste_fraction", "preemptions"];

    [Fact]
    public void EngineCompare_DefaultJson_HasRequiredKeysForEveryPolicy()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("engine.json");
        var result = CliHarness.Run("engine", "compare", "--json", json, "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("engine-default", doc.RootElement.GetProperty("scenario").GetString());
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(EnginePolicyCatalog.Names, results.Select(r => r.GetProperty("policy").GetString()));
        foreach (var r in results)
        {
            var m = r.GetProperty("metrics");
            foreach (var key in RequiredMetrics)
                Assert.True(m.TryGetProperty(key, out _), $"missing {key}");
            Assert.True(m.GetProperty("throughput_tokens_per_s").GetDouble() > 0);
            Assert.True(m.GetProperty("p99_ttft_s").GetDouble() >= m.GetProperty("p50_ttft_s").GetDouble());
            Assert.InRange(m.GetProperty("kv_waste_fraction").GetDouble(), 0, 1);
        }
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void EngineCompare_SameSeed_SameJson()
    {
        using var folder = new TempFolder();
        var a = folder.FilePath("a.json");
        var b = folder.FilePath("b.json");
        Assert.Equal(0, CliHarness.Run("engine", "compare", "--json", a, "--quiet").ExitCode);
        Assert.Equal(0, CliHarness.Run("engine", "compare", "--json", b, "--quiet").ExitCode);
        Assert.Equal(File.ReadAllText(a), File.ReadAllText(b));
    }

    [Fact]
    public void EngineSimulate_Requests_WritesOneRowPerRequest()
    {
        using var folder = new TempFolder();
        var csv = folder.FilePath("requests.csv");
        var result = CliHarness.Run("engine", "simulate", "default", "--policy", "vllm", "--requests", csv, "--quiet");
        Assert.Equal(0, result.ExitCode);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("id,adapter,instance,arrival_s,first_token_s,finish_s,prompt_tokens,output_tokens,preemptions,outcome", lines[0]);
        var requests = EngineScenarioParser.Load(null).Requests();
        Assert.Equal(requests.Count + 1, lines.Length);
        foreach (var (line, request) in lines.Skip(1).Zip(requests))
        {
            var f = line.Split(',');
            Assert.Equal(10, f.Length);
            Assert.Equal(request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), f[0]);
            Assert.Equal("", f[1]);
            Assert.Contains(f[2], (string[])["0", "1"]);
            var arrival = double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture);
            var first = double.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture);
            var finish = double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(arrival <= first && first <= finish, line);
            Assert.Equal("completed", f[9]);
        }
    }

    [Fact]
    public void EngineSimulate_UnknownPolicy_ExitsWithUserError()
    {
        var result = CliHarness.Run("engine", "simulate", "default", "--policy", "fifo", "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown policy", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EngineSweep_Json_HasAPointPerRateAndPolicyAndCapacityIsALeadingRun()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("sweep.json");
        var md = folder.FilePath("sweep.md");
        var result = CliHarness.Run("engine", "sweep", "--factors", "0.25,1", "--json", json, "--markdown", md, "--quiet");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(EnginePolicyCatalog.Names, results.Select(r => r.GetProperty("policy").GetString()));
        foreach (var r in results)
        {
            var points = r.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal([0.25, 1.0], points.Select(p => p.GetProperty("rate_factor").GetDouble()));
            var met = points.TakeWhile(p => p.GetProperty("meets_slo").GetBoolean()).ToList();
            var capacity = r.GetProperty("capacity_rate_factor");
            if (met.Count == 0) Assert.Equal(JsonValueKind.Null, capacity.ValueKind);
            else Assert.Equal(met[^1].GetProperty("rate_factor").GetDouble(), capacity.GetDouble());
        }
        Assert.Contains("| policy | capacity at SLO |", File.ReadAllText(md), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0,1")]
    [InlineData("fast")]
    public void EngineSweep_BadFactors_ExitsWithUserError(string factors)
    {
        var result = CliHarness.Run("engine", "sweep", "--factors", factors, "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--factors", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReproduceEngineLora_SmallGrid_WritesACellPerAdaptersAndSlotsWithin()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("lora.json");
        var result = CliHarness.Run("reproduce", "engine-lora", "--adapters", "8,16", "--slots", "8,16", "--duration-s", "60", "--json", json, "--quiet");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var cells = doc.RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => (c.GetProperty("adapters").GetInt32(), c.GetProperty("slots").GetInt32())).ToList();
        Assert.Equal([(8, 8), (16, 8), (16, 16)], cells);
    }

    [Theory]
    [InlineData("compare")]
    [InlineData("simulate")]
    [InlineData("sweep")]
    public void Engine_Help_ListsOptions(string sub)
    {
        var result = CliHarness.Run("engine", sub, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--json", result.Out, StringComparison.Ordinal);
    }
}
