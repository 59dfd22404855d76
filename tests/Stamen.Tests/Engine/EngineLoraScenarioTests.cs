using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Tests.Engine;

/// <summary>The cluster and LoRA sections of engine scenarios: published data applied, generated adapters, clear mistakes.</summary>
public sealed class EngineLoraScenarioTests
{
    private const string Lora = """
        name: lora
        model: llama-3.1-8b
        gpu: h100-sxm
        instances: 2
        router: adapter-affinity
        step_time:
          fitted: {preset: llama-3.1-8b-h100}
        lora:
          max_loras: 64
          generate: {count: 100, ranks: [8, 16], rate_per_s: 0.05}
        workload:
          per_adapter: {duration_s: 60, prompt_tokens: 200, output_tokens: 20}
        policies: [vllm]
        """;

    private static EngineScenario Parse(string yaml) => EngineScenarioParser.ParseText(yaml, "s.yaml", Path.GetTempPath());

    private static StamenInputException Fails(string yaml) => Assert.Throws<StamenInputException>(() => Parse(yaml));

    [Fact]
    public void ParseText_SchedulerOverhead_PublishedByDefaultWhereTheProfileHasOne_NoneOrGivenConstants()
    {
        Assert.True(Stamen.Adapters.LoraProfileCatalog.BuiltIn.TryFind("llama-3.1-8b", out var llama));
        Assert.NotNull(llama.SchedulerOverhead);
        Assert.Same(llama.SchedulerOverhead, Parse(Lora).Deployment.Lora!.SchedulerOverhead);
        Assert.Same(llama.SchedulerOverhead,
            Parse(Lora.Replace("  max_loras: 64", "  max_loras: 64\n  scheduler_overhead: published", StringComparison.Ordinal)).Deployment.Lora!.SchedulerOverhead);
        Assert.Null(Parse(Lora.Replace("  max_loras: 64", "  max_loras: 64\n  scheduler_overhead: none", StringComparison.Ordinal)).Deployment.Lora!.SchedulerOverhead);
        // Qwen's profile publishes none: off by default, and asking for the published one is an error naming the model.
        var qwen = Lora.Replace("llama-3.1-8b", "qwen-2.5-7b", StringComparison.Ordinal);
        Assert.Null(Parse(qwen).Deployment.Lora!.SchedulerOverhead);
        Assert.Contains("no scheduler overhead is published for qwen-2.5-7b",
            Fails(qwen.Replace("  max_loras: 64", "  max_loras: 64\n  scheduler_overhead: published", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        var given = Parse(Lora.Replace("  max_loras: 64",
            "  max_loras: 64\n  scheduler_overhead: {running: [0.01, 0, 100], waiting: [0.02, 0, 200], waiting_share: [0, 0, 1], baseline_s: 0.001}",
            StringComparison.Ordinal)).Deployment.Lora!.SchedulerOverhead!;
        // 10 running, 50 waiting: 1000 x (0.01 x 0.1 + 0.02 x 0.25 + 0 - 0.001) = 5 ms.
        Assert.Equal(5, given.Ms(10, 50, 64, 100), 12);
    }

    [Theory]
    [InlineData("scheduler_overhead: sometimes", "'sometimes' is not none, published or a mapping")]
    [InlineData("scheduler_overhead: {running: [1, 2], waiting: [0, 0, 1], waiting_share: [0, 0, 1], baseline_s: 0}", "expected [coefficient_s, min, max]")]
    [InlineData("scheduler_overhead: {running: [1, 5, 2], waiting: [0, 0, 1], waiting_share: [0, 0, 1], baseline_s: 0}", "max above min")]
    [InlineData("scheduler_overhead: {running: [1, 0, 2], waiting: [0, 0, 1], waiting_share: [0, 0, 1]}", "baseline_s")]
    public void ParseText_BadSchedulerOverhead_NamesTheField(string line, string problem)
    {
        var e = Fails(Lora.Replace("  max_loras: 64", "  max_loras: 64\n  " + line, StringComparison.Ordinal));
        Assert.Contains("scheduler_overhead", e.Field, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_GeneratedAdapters_PublishedCapacityLoadCostAndOverheadApplied()
    {
        var s = Parse(Lora);
        var lora = s.Deployment.Lora!;

        Assert.Equal(2, s.Deployment.Instances);
        Assert.Equal("adapter-affinity", s.Deployment.Router);
        Assert.Equal(100, lora.Adapters.Count);
        Assert.Equal([8, 16, 8, 16], lora.Adapters.Take(4).Select(a => a.Rank));
        Assert.Equal(16, lora.MaxLoraRank);
        // The published Llama-3.1-8B table: 64 slots of rank 16 leave 256,640 tokens.
        Assert.Equal(256_640, s.Config.KvCapacityTokens);
        Assert.Equal(7.772, lora.LoadCostMs(8));
        Assert.Equal(6.384, lora.LoadCostMs(16));
        Assert.Equal(new LoraOverhead(1.93011757, 200.01448221), lora.Overhead);
        var requests = s.Requests();
        Assert.InRange(requests.Count, 200, 400);
        Assert.All(requests, r => Assert.InRange(r.Adapter, 0, 99));
        Assert.Equal(requests.Count, requests.Select(r => r.Id).Distinct().Count());
        Assert.All(requests.Zip(requests.Skip(1)), p => Assert.True(p.First.ArrivalMs <= p.Second.ArrivalMs));
    }

    [Fact]
    public void ParseText_OverheadAndLoadCostOff_AndZipfRates()
    {
        var s = Parse(Lora.Replace("max_loras: 64", "max_loras: 8\n  overhead: none\n  load_cost: none", StringComparison.Ordinal)
            .Replace("rate_per_s: 0.05}", "zipf: {total_per_s: 5, exponent: 1}}", StringComparison.Ordinal));
        var lora = s.Deployment.Lora!;

        Assert.Null(lora.Overhead);
        Assert.Equal(0, lora.LoadCostMs(8));
        var perAdapter = s.Requests().GroupBy(r => r.Adapter).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perAdapter[0] > perAdapter.GetValueOrDefault(99), "Zipf gives the first adapter the most requests");
    }

    [Fact]
    public void ParseText_SameSeed_SameArrivals()
    {
        Assert.Equal(Parse(Lora).Requests(), Parse(Lora).Requests());
        Assert.NotEqual(Parse(Lora).Requests(3), Parse(Lora).Requests(4));
    }

    [Fact]
    public void ParseText_TraceWithAdapterColumn_MapsNamesAndEmptyCellsToBase()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "t.csv"), "arrived_at,num_prefill_tokens,num_decode_tokens,adapter\n0,10,5,b\n0.5,20,5,\n1,30,5,a\n");
            var yaml = Lora.Replace("  generate: {count: 100, ranks: [8, 16], rate_per_s: 0.05}", "  adapters: [{name: a, rank: 8}, {name: b, rank: 16}]", StringComparison.Ordinal)
                .Replace("per_adapter: {duration_s: 60, prompt_tokens: 200, output_tokens: 20}", "trace: {path: t.csv}", StringComparison.Ordinal);

            var s = EngineScenarioParser.ParseText(yaml, "s.yaml", dir.FullName);
            Assert.Equal([1, -1, 0], s.Requests().Select(r => r.Adapter));

            File.WriteAllText(Path.Combine(dir.FullName, "t.csv"), "arrived_at,num_prefill_tokens,num_decode_tokens,adapter\n0,10,5,zeta\n");
            var e = Assert.Throws<StamenInputException>(() => EngineScenarioParser.ParseText(yaml, "s.yaml", dir.FullName).Requests());
            Assert.Equal("line 2: adapter", e.Field);
            Assert.Contains("zeta", e.Problem, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("max_loras: 64", "max_loras: 64\n  max_lora_rank: 8", "lora.max_lora_rank", "below the largest adapter rank")]
    [InlineData("max_loras: 64", "max_loras: 256", "lora.max_loras", "fails")]
    [InlineData("router: adapter-affinity", "router: random", "router", "unknown engine router 'random'")]
    [InlineData("instances: 2", "instances: 0", "instances", "out of range")]
    [InlineData("max_loras: 64", "max_loras: 64\n  overhead: sometimes", "lora.overhead", "not published, none or a mapping")]
    [InlineData("rate_per_s: 0.05}", "rate_per_s: 0.05, zipf: {total_per_s: 1}}", "lora.generate.rate_per_s", "exactly one")]
    public void ParseText_Mistake_NamesTheField(string from, string to, string field, string problem)
    {
        var e = Fails(Lora.Replace(from, to, StringComparison.Ordinal));
        Assert.StartsWith(field, e.Field, StringComparison.Ordinal);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Fix));
    }

    [Fact]
    public void ParseText_PerAdapterWithoutRates_AsksForRates()
    {
        var e = Fails(Lora.Replace("  generate: {count: 100, ranks: [8, 16], rate_per_s: 0.05}", "  adapters: [{name: a, rank: 8}]", StringComparison.Ordinal));
        Assert.StartsWith("workload.per_adapter", e.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_SwapAndDistKvSections_Read()
    {
        var s = Parse(Lora + "\nswap: {pcie_gb_per_s: 50, swap_space_gb: 8}\ndistkv: {lending_cap: 0.25, link_gb_per_s: 50, link_rtt_us: 5}\n");
        Assert.Equal(50e9, s.Config.PcieBytesPerSec);
        Assert.Equal(8e9, s.Config.SwapSpaceBytes);
        Assert.Equal(new DistKvSettings(0.25, 50e9, 0.005), s.Deployment.DistKv);
    }
}
