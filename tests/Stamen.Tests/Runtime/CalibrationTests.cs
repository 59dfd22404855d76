using System.Text.Json;
using Stamen.Runtime.Calibration;
using Stamen.Runtime.Model;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Runtime;

[Collection("Swarm")]
public sealed class CalibrationTests
{
    [Fact]
    public void Predict_IsThePetalsFormulaWithTheProfilesConstants()
    {
        var profile = new RuntimeProfile("tiny", DecodeMsPerBlock: 0.5, PrefillMsPerToken: 0.1, PrefillFixedMs: 2, ClientMsPerToken: 1, HopOverheadMs: 0.3, 4, 128);
        BlockRange[] layout = [new(0, 1), new(1, 4)];

        var t = SwarmValidation.Predict("tiny", LlamaConfig.Tiny, layout, [10, 20], profile, promptTokens: 16, newTokens: 8);

        // Per token: per hop RTT + overhead + blocks x decode. First token: per hop two RTTs (open, prefill) + overhead + blocks x (0.1 x 16 + 2).
        Assert.Equal(10 + 0.3 + 0.5 + 20 + 0.3 + 3 * 0.5, t.PerTokenMs, 9);
        Assert.Equal(20 + 0.3 + 3.6 + 40 + 0.3 + 3 * 3.6, t.FirstTokenMs, 9);
    }

    [Fact]
    public void ValidateCommand_TinyModelTwoPlacements_TokensEqualAndJsonHasBothSides()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("v.json");

        var result = CliHarness.Run("validate", "--model", "tiny", "--layout", "0:4", "--layout", "0:1,1:4", "--rtt-ms", "5", "--rtt-ms", "5,10",
            "--prompt-tokens", "8", "--new-tokens", "4", "--requests", "1", "--json", json);

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.True(r.GetProperty("tokens_equal_local").GetBoolean());
            Assert.True(r.GetProperty("measured_per_token_ms").GetDouble() > 0);
            Assert.True(r.GetProperty("predicted_per_token_ms").GetDouble() > 0);
        });
    }

    private const string TinyScenario = """
        name: tiny real swarm
        seed: 3
        runs: 1
        model: tiny
        servers:
          list:
            - {name: a, gpu: t4, max_blocks: 2, rtt_ms: {me: 4, you: 9}}
            - {name: b, gpu: t4, max_blocks: 3, rtt_ms: {me: 7, you: 3}}
            - {name: c, gpu: t4, max_blocks: 4, rtt_ms: {me: 12, you: 6}}
        clients:
          - {name: me}
          - {name: you}
        workload:
          poisson: {rate_per_s: 1, requests: 6, prompt_tokens: 8, output_tokens: 3}
        algorithms: [petals, cg-bp+ws-rr]
        """;

    private static readonly RuntimeProfile TinyProfile = new("tiny", 0.05, 0.01, 0, 0.1, 0.2, 4, 128);

    [Fact]
    public void ScenarioCases_FollowThePlanAndTheScenariosRoundTrips()
    {
        using var folder = new TempFolder();
        var path = folder.Write("s.yaml", TinyScenario);
        var resolver = Stamen.Scenarios.ScenarioResolver.Create(Stamen.Scenarios.ScenarioParser.ParseFile(path), withoutFixedDelays: true);
        var run = resolver.Resolve(0);

        var cases = ScenarioValidation.Build(resolver, run, resolver.Algorithms, LlamaConfig.Tiny, TinyProfile, requests: 4, maxServers: 8);

        Assert.Equal(["petals", "cg-bp+ws-rr"], cases.Select(c => c.Name));
        foreach (var c in cases)
        {
            var planned = Stamen.Experiments.SwarmExperiment.Plan(
                run with { Swarm = ScenarioValidation.OnThisMachine(run.Swarm, "tiny", LlamaConfig.Tiny, TinyProfile) }, resolver.FindAlgorithm(c.Name));
            var spans = planned.Plan.Placement.Spans;
            // The servers started are the plan's servers that hold blocks, with the plan's ranges.
            Assert.Equal(run.Swarm.Servers.Where((_, j) => !spans[j].IsEmpty).Select(s => s.Name), c.Servers.Select(s => s.Name));
            Assert.All(c.Servers, s => Assert.Contains(spans, span => span.Start == s.Blocks.Start && span.End == s.Blocks.End));
            Assert.Equal(2, c.Clients.Count);
            for (var ci = 0; ci < c.Clients.Count; ci++)
            {
                var client = c.Clients[ci];
                // Each chain covers blocks 0..4 in order, each hop inside its server's blocks.
                Assert.Equal(0, client.Chain[0].StartBlock);
                Assert.Equal(4, client.Chain[^1].EndBlock);
                for (var h = 0; h < client.Chain.Count; h++)
                {
                    var hop = client.Chain[h];
                    if (h > 0) Assert.Equal(client.Chain[h - 1].EndBlock, hop.StartBlock);
                    Assert.InRange(hop.StartBlock, c.Servers[hop.Server].Blocks.Start, hop.EndBlock - 1);
                    Assert.InRange(hop.EndBlock, hop.StartBlock + 1, c.Servers[hop.Server].Blocks.End);
                }
                // The emulated round trips are the scenario's, per server.
                var expected = c.Servers.Select(s => run.Swarm.Delays.ClientPropagationRttMs(ci, run.Swarm.Servers.ToList().FindIndex(x => x.Name == s.Name)));
                Assert.Equal(expected, client.RttMsByServer);
            }
            Assert.Equal(run.Requests.OrderBy(r => r.ArrivalMs).Take(4).Select(r => r.ClientIndex), c.Requests.Select(r => r.Client));
        }
    }

    [Fact]
    public void ValidateCommand_Scenario_EveryAlgorithmsChainGivesTheLocalTokens()
    {
        using var folder = new TempFolder();
        var path = folder.Write("s.yaml", TinyScenario);
        var profile = folder.Write("p.json", JsonSerializer.Serialize(TinyProfile));
        var json = folder.FilePath("v.json");
        var html = folder.FilePath("v.html");

        var result = CliHarness.Run("validate", path, "--profile", profile, "--requests", "3", "--json", json, "--report", html);

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["petals", "cg-bp+ws-rr"], results.Select(r => r.GetProperty("case").GetString()));
        Assert.All(results, r =>
        {
            Assert.True(r.GetProperty("tokens_equal_local").GetBoolean());
            Assert.True(r.GetProperty("measured_first_token_ms").GetDouble() > 0);
            Assert.Contains("me:", r.GetProperty("routes").GetString(), StringComparison.Ordinal);
        });
        // The report carries the same numbers as the results, and the HTML shows its charts.
        var report = doc.RootElement.GetProperty("report");
        Assert.Equal("validation", report.GetProperty("kind").GetString());
        var bars = report.GetProperty("sections")[0].GetProperty("charts")[0].GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v.GetDouble());
        Assert.Equal(results.Select(r => r.GetProperty("measured_per_token_ms").GetDouble()), bars);
        var page = File.ReadAllText(html);
        Assert.Contains("Per-token time by case", page, StringComparison.Ordinal);
        Assert.Contains("Twin against measured", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model: tiny", "model: bloom-176b", new string[0], "is not a model the runtime can run")]
    [InlineData("", "", new[] { "--layout", "0:4" }, "a scenario brings its model")]
    [InlineData("", "", new[] { "--max-servers", "1" }, "a validation starts each as a server")]
    public void ValidateCommand_ScenarioMistakes_ExitWithAUserError(string from, string to, string[] extra, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.Write("s.yaml", from.Length == 0 ? TinyScenario : TinyScenario.Replace(from, to, StringComparison.Ordinal));
        var profile = folder.Write("p.json", JsonSerializer.Serialize(TinyProfile));

        var result = CliHarness.Run(["validate", path, "--profile", profile, "--requests", "1", .. extra]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--layout", "0:2,3:4", "do not chain")]
    [InlineData("--model", "gpt-9", "not a runtime preset")]
    public void ValidateCommand_Mistakes_ExitWithAUserError(string option, string value, string problem)
    {
        var result = CliHarness.Run("validate", option, value, "--requests", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }
}

/// <summary>The model catalog's runtime presets describe the same models the runtime computes.</summary>
public sealed class RuntimeCatalogTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("small-100m")]
    public void CatalogModel_MatchesTheRuntimePreset(string name)
    {
        var config = LlamaConfig.Preset(name);
        var catalog = Stamen.Model.ModelCatalog.BuiltIn.Find(name);
        var runtime = RuntimeProfiler.ModelSpecOf(name, config);

        Assert.Equal(runtime.ParamsPerBlock, catalog.ParamsPerBlock);
        Assert.Equal(runtime.KvBytesPerTokenPerBlock, catalog.KvBytesPerTokenPerBlock);
        Assert.Equal(runtime.BlockBytes, catalog.BlockBytes);
        Assert.Equal(config.Blocks, catalog.NumBlocks);
    }
}

/// <summary>`stamen serve --blocks plan` reads its range from a plan file, and says clearly what is wrong with a bad one.</summary>
public sealed class ServePlanTests
{
    [Theory]
    [InlineData("nobody", "no server 'nobody' in the plan")]
    [InlineData("idle", "holds no blocks")]
    [InlineData("wide", "past the model's 4 blocks")]
    public void ServeFromPlan_BadServer_UserErrorNamingIt(string server, string problem)
    {
        using var folder = new TempFolder();
        var plan = folder.FilePath("plan.json");
        File.WriteAllText(plan, """{"servers": [{"server": "a", "start_block": 0, "end_block": 3}, {"server": "idle", "start_block": 0, "end_block": 0}, {"server": "wide", "start_block": 0, "end_block": 9}]}""");

        var result = CliHarness.Run("serve", "--model", "tiny", "--blocks", "plan", "--plan", plan, "--plan-server", server);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"servers": 3}""", "not a plan")]
    [InlineData("""{"servers": [{"start_block": 0, "end_block": 2}]}""", "a server without a name")]
    [InlineData("""{"algorithm": "petals"}""", "servers: missing")]
    [InlineData("""[1, 2]""", "not a plan")]
    public void ServeFromPlan_NotAPlan_UserError(string json, string problem)
    {
        using var folder = new TempFolder();
        var plan = folder.FilePath("plan.json");
        File.WriteAllText(plan, json);

        var result = CliHarness.Run("serve", "--model", "tiny", "--blocks", "plan", "--plan", plan, "--plan-server", "a");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanJson_ReadsBackThroughItsType()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("plan.json");
        var scenario = folder.Write("s.yaml", Stamen.Tests.Scenarios.ScenarioFiles.Small);
        Assert.Equal(0, CliHarness.Run("plan", scenario, "-a", "petals", "--json", json).ExitCode);

        var plan = System.Text.Json.JsonSerializer.Deserialize<Stamen.Experiments.PlanReport>(File.ReadAllText(json), Stamen.Cli.Rendering.JsonOutput.Options)!;
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var written = doc.RootElement.GetProperty("servers").EnumerateArray().ToList();
        Assert.Equal(written.Count, plan.Servers.Count);
        Assert.True(plan.Servers.Count > 1);
        Assert.Equal(written.Select(s => (s.GetProperty("server").GetString(), s.GetProperty("start_block").GetInt32(), s.GetProperty("end_block").GetInt32())),
            plan.Servers.Select(s => ((string?)s.Server, s.StartBlock, s.EndBlock)));
        Assert.Equal("petals", plan.Algorithm);
    }
}
