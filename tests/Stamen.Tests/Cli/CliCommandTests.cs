using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Stamen.Cli.Commands;
using Stamen.Scenarios;
using Stamen.Simulation.Engine.Policies;
using Stamen.Tests.Scenarios;
using Stamen.Workload;

namespace Stamen.Tests.Cli;

/// <summary>The commands run in-process and write the files they promise, in the promised shape.</summary>
public sealed class CliCommandTests
{
    private static readonly PoissonWorkloadDefinition DefaultWorkload = (PoissonWorkloadDefinition)BuiltinScenarios.Load(null).Workload;

    private static void AssertNoTempFiles(TempFolder folder) =>
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));

    [Fact]
    public void Compare_Default_WritesJsonWithEveryAlgorithmsMetrics()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("out.json");
        var result = CliHarness.Run("compare", "--runs", "1", "--json", json, "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        var expected = ScenarioResolver.Create(BuiltinScenarios.Load(null)).Algorithms.Select(a => a.Name);
        Assert.Equal(expected, results.Select(r => r.GetProperty("algorithm").GetString()));
        Assert.Equal(1, doc.RootElement.GetProperty("runs").GetInt32());
        foreach (var r in results)
        {
            Assert.Equal(1, r.GetProperty("runs").GetInt32());
            var m = r.GetProperty("metrics");
            var perToken = m.GetProperty("mean_time_per_token_s").GetDouble();
            var firstToken = m.GetProperty("mean_first_token_s").GetDouble();
            var p95 = m.GetProperty("p95_time_per_token_s").GetDouble();
            var throughput = m.GetProperty("throughput_tokens_per_s").GetDouble();
            Assert.True(perToken > 0 && firstToken > 0 && throughput > 0);
            Assert.True(p95 >= m.GetProperty("p50_time_per_token_s").GetDouble());
            // Every default request has the same l_max, so total time / time per token is l_max.
            var lMax = DefaultWorkload.OutputTokens.Max;
            Assert.Equal(lMax, m.GetProperty("mean_total_s").GetDouble() / perToken, 1e-6);
            Assert.True(firstToken < m.GetProperty("mean_total_s").GetDouble());
        }
        AssertNoTempFiles(folder);
        Assert.Contains("Wrote", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_Requests_WritesOneCsvRowPerRequest()
    {
        using var folder = new TempFolder();
        var csv = folder.FilePath("requests.csv");
        var result = CliHarness.Run("simulate", "default", "-a", "cg-bp+ws-rr", "--runs", "1", "--requests", csv, "--quiet");
        Assert.Equal(0, result.ExitCode);
        var lines = File.ReadAllLines(csv);
        Assert.StartsWith("run,request,client,arrival_s,servers", lines[0], StringComparison.Ordinal);
        var header = lines[0].Split(',');
        Assert.Equal(DefaultWorkload.Requests, lines.Length - 1);
        var previousArrival = double.NegativeInfinity;
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            Assert.Equal(header.Length, f.Length);
            Assert.Equal("0", f[0]);
            Assert.Equal((i - 1).ToString(CultureInfo.InvariantCulture), f[1]);
            Assert.Equal("user", f[2]);
            var arrival = double.Parse(f[3], CultureInfo.InvariantCulture);
            Assert.True(arrival >= previousArrival);
            previousArrival = arrival;
            Assert.NotEmpty(f[4]);
            var first = double.Parse(f[Array.IndexOf(header, "first_token_s")], CultureInfo.InvariantCulture);
            var total = double.Parse(f[Array.IndexOf(header, "total_s")], CultureInfo.InvariantCulture);
            Assert.True(first > 0 && total > first);
            Assert.Equal("succeeded", f[^1]);
        }
        AssertNoTempFiles(folder);
    }

    [Fact]
    public void Plan_Json_HasServersAndRoutes()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("plan.json");
        var result = CliHarness.Run("plan", "default", "-a", "petals", "--json", json);
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("petals", root.GetProperty("algorithm").GetString());
        var servers = root.GetProperty("servers").EnumerateArray().ToList();
        var resolver = ScenarioResolver.Create(BuiltinScenarios.Load(null));
        Assert.Equal(resolver.ServerCount, servers.Count);
        // Blocks of the servers cover the model: every block lies in some server's [start, end).
        var covered = new bool[resolver.Model.NumBlocks];
        foreach (var s in servers)
            for (var b = s.GetProperty("start_block").GetInt32(); b < s.GetProperty("end_block").GetInt32(); b++) covered[b] = true;
        Assert.All(covered, Assert.True);
        Assert.True(root.GetProperty("static_max_flow_tokens_per_sec").GetDouble() > 0);
        var route = Assert.Single(root.GetProperty("routes").EnumerateArray());
        Assert.Equal("user", route.GetProperty("client").GetString());
        Assert.NotEmpty(route.GetProperty("servers").EnumerateArray());
        AssertNoTempFiles(folder);
    }

    [Theory]
    [InlineData("serve", "--model", "tiny", "--blocks", "0:1", "--host", "my-laptop")]
    [InlineData("registry", "--host", "256.0.0.1")]
    public void ServeAndRegistry_HostMustBeAnAddress(params string[] args)
    {
        var result = CliHarness.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--host", result.Error, StringComparison.Ordinal);
        Assert.Contains("is not an IP address", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CatalogGpus_Json_ListsMig()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("gpus.json");
        Assert.Equal(0, CliHarness.Run("catalog", "gpus", "--json", json).ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var mig = Assert.Single(doc.RootElement.EnumerateArray(), g => g.GetProperty("name").GetString() == "a100-mig-1g.10gb");
        Assert.Equal(8.2e9, mig.GetProperty("memory_bytes").GetDouble(), 1e-3);
        AssertNoTempFiles(folder);
    }

    [Fact]
    public void CatalogEngineListings_Json_NameEveryPolicyRouterAndProfile()
    {
        using var folder = new TempFolder();
        string[] Names(string listing)
        {
            var json = folder.FilePath(listing + ".json");
            Assert.Equal(0, CliHarness.Run("catalog", listing, "--json", json).ExitCode);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            return [.. doc.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];
        }

        Assert.Equal(Stamen.Simulation.Engine.Policies.EnginePolicyCatalog.Names, Names("engine-policies"));
        Assert.Equal(Stamen.Simulation.Engine.EngineRouterCatalog.Names, Names("engine-routers"));
        Assert.Equal(["llama-3.1-8b", "qwen-2.5-7b"], Names("lora-profiles"));
        Assert.Equal(Stamen.Optimization.Milp.MilpSolverCatalog.Names, Names("milp-solvers"));
        AssertNoTempFiles(folder);
    }

    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        void Walk(Command c, string path)
        {
            data.Add(path);
            foreach (var sub in c.Subcommands) Walk(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}");
        }
        Walk(StamenCli.Build(CliHarness.Capture(TextWriter.Null, TextWriter.Null)), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Help_EveryCommand_ExitsZeroAndListsItsOptions(string path)
    {
        var words = path.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var command = words.Aggregate((Command)StamenCli.Build(CliHarness.Capture(TextWriter.Null, TextWriter.Null)), (c, w) => c.Subcommands.Single(s => s.Name == w));
        var result = CliHarness.Run([.. words, "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(command.Description!, result.Out, StringComparison.Ordinal);
        foreach (var option in command.Options.Where(o => !o.Hidden))
            Assert.Contains(option.Name, result.Out, StringComparison.Ordinal);
        foreach (var sub in command.Subcommands)
            Assert.Contains(sub.Name, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Pareto_DefaultJson_WritesFrontWithKneeAndWeightedIndices()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("front.json");
        var result = CliHarness.Run("pareto", "default", "--weight", "0.25", "--json", json);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("knee", result.Out, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var front = doc.RootElement.GetProperty("front").EnumerateArray().ToList();
        Assert.NotEmpty(front);
        Assert.InRange(doc.RootElement.GetProperty("knee").GetInt32(), 0, front.Count - 1);
        Assert.InRange(doc.RootElement.GetProperty("weighted").GetInt32(), 0, front.Count - 1);
        Assert.Equal(0.25, doc.RootElement.GetProperty("weight").GetDouble());
        var latencies = front.Select(p => p.GetProperty("per_token_latency_ms").GetDouble()).ToList();
        Assert.Equal(latencies.Order(), latencies);
        Assert.All(front, p => Assert.Equal(p.GetProperty("servers").GetArrayLength(), p.GetProperty("hops").GetInt32()));
        AssertNoTempFiles(folder);
    }

    [Theory]
    [InlineData("--client", "nobody")]
    [InlineData("--weight", "1.5")]
    public void Pareto_BadOption_OneErrorLineExitTwo(string option, string value)
    {
        var result = CliHarness.Run("pareto", "default", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }
}
