using System.Text.Json;
using Stamen.Adapters.Placement;
using Stamen.Scenarios.Adapters;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Cli;

/// <summary>`stamen adapters dataset|train|plan|verify` in-process: files written, JSON shape, user errors.</summary>
public sealed class AdaptersCliTests
{
    [Fact]
    public void Verify_DefaultGreedyAndBalanced_JsonPlacesEveryAdapterAndCarriesTheTwinOutcome()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("verify.json");
        var result = CliHarness.Run("adapters", "verify", "--methods", "greedy,balanced", "--json", json, "--quiet");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(100, root.GetProperty("adapters").GetInt32());
        var bound = root.GetProperty("lower_bound_gpus").GetInt32();
        var methods = root.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(["greedy", "balanced"], methods.Select(m => m.GetProperty("method").GetString()));
        foreach (var m in methods)
        {
            var gpus = m.GetProperty("gpu_list").EnumerateArray().ToList();
            Assert.Equal(m.GetProperty("gpus").GetInt32(), gpus.Count);
            Assert.True(gpus.Count >= bound);
            Assert.Equal(100, gpus.Sum(g => g.GetProperty("adapters").GetArrayLength()));
            Assert.All(gpus, g => Assert.True(g.GetProperty("twin").GetProperty("starts").GetBoolean()));
            Assert.Equal(gpus.Count(g => g.GetProperty("twin").GetProperty("starved").GetBoolean()), m.GetProperty("verified_starved_gpus").GetInt32());
        }
    }

    [Fact]
    public void DatasetThenTrainThenPlan_WithTheDistilledPredictor()
    {
        using var folder = new TempFolder();
        var data = folder.FilePath("data.csv");
        var predictor = folder.FilePath("tree.json");
        var plan = folder.FilePath("plan.json");

        Assert.Equal(0, CliHarness.Run("adapters", "dataset", "-o", data, "--cells", "40", "--duration-s", "60", "--quiet").ExitCode);
        Assert.Equal(41, File.ReadAllLines(data).Length);
        Assert.Equal(0, CliHarness.Run("adapters", "train", data, "-o", predictor, "--kind", "tree", "--quiet").ExitCode);
        var result = CliHarness.Run("adapters", "plan", "--predictor", predictor, "--json", plan, "--quiet");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(plan));
        Assert.StartsWith("tree", doc.RootElement.GetProperty("predictor").GetString(), StringComparison.Ordinal);
        Assert.Equal(AdapterPlacerCatalog.Names, doc.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Theory]
    [InlineData("plan", "--methods", "best-fit", "unknown adapter placer")]
    [InlineData("plan", "--predictor", "missing.json", "predictor file not found")]
    [InlineData("train", "missing.csv", "-o", "file not found")]
    public void Mistakes_ExitWithAUserErrorNamingTheProblem(string sub, string a, string b, string problem)
    {
        var args = sub == "train" ? new[] { "adapters", sub, a, b, "x.json" } : ["adapters", sub, a, b, "--quiet"];
        var result = CliHarness.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model: llama-3.1-8b", "model: gpt-9", "model", "unknown model")]
    [InlineData("zipf: {total_per_s: 12, exponent: 1}", "rate_per_s: -1", "generate.rate_per_s", "out of range")]
    [InlineData("policy: sarathi", "policy: fifo", "policy", "unknown policy")]
    [InlineData("generate: {count: 100, ranks: [8, 16, 32], zipf: {total_per_s: 12, exponent: 1}}", "adapters: [{name: a, rank: 8}]", "adapters", "rates")]
    public void WorkloadParser_Mistake_NamesTheField(string from, string to, string field, string problem)
    {
        var yaml = AdapterWorkloadParser.DefaultYaml.Replace(from, to, StringComparison.Ordinal);
        var e = Assert.Throws<StamenInputException>(() => AdapterWorkloadParser.ParseText(yaml, "w.yaml"));
        Assert.StartsWith(field, e.Field, StringComparison.Ordinal);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Examples_EveryAdapterWorkloadParses()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(ScenarioFiles.ExamplePath("x"))!, "adapters-*.yaml");
        Assert.Equal(6, files.Length);
        Assert.All(files, f => Assert.NotEmpty(AdapterWorkloadParser.Load(f).Adapters));
    }
}
