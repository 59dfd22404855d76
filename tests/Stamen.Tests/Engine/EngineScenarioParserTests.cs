using Stamen.Options;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Simulation.Engine;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Engine;

/// <summary>Engine scenario files: the built-in default resolves, and every mistake names the file, field, line and a fix.</summary>
public sealed class EngineScenarioParserTests
{
    private const string Valid = """
        name: t
        seed: 3
        model: llama-3.1-8b
        gpu: h100-sxm
        kv: {capacity_tokens: 40000}
        step_time:
          fitted: {preset: llama-3.1-8b-h100}
        workload:
          poisson: {rate_per_s: 5, requests: 20, prompt_tokens: 100, output_tokens: 10}
        policies: [vllm, orca]
        """;

    private static StamenInputException Fails(string yaml) =>
        Assert.Throws<StamenInputException>(() => EngineScenarioParser.ParseText(yaml, "s.yaml", Path.GetTempPath()));

    [Fact]
    public void Load_Default_ResolvesEveryPolicyOnACatalogEngine()
    {
        var s = EngineScenarioParser.Load(null);
        Assert.Equal(EnginePolicyCatalog.Names, s.Policies.Select(p => p.Name));
        Assert.Equal("llama-3.1-8b", s.Config.Model.Name);
        Assert.Equal(EngineConfig.ForGpu(s.Config.Model, s.Config.Gpu).KvCapacityTokens, s.Config.KvCapacityTokens);
        var requests = s.Requests();
        Assert.All(requests.Zip(requests.Skip(1)), p => Assert.True(p.First.ArrivalMs <= p.Second.ArrivalMs));
    }

    [Fact]
    public void ParseText_PolicyWithOptions_EqualsThePresetItSpellsOut()
    {
        var s = EngineScenarioParser.ParseText(Valid.Replace("policies: [vllm, orca]",
            "policies: [sarathi, {name: my-chunked, base: vllm, chunked_prefill: true}, {name: swap-chunked, base: vllm-swap, chunked_prefill: true}]",
            StringComparison.Ordinal), "s.yaml", Path.GetTempPath());

        var (sarathi, mine, swapChunked) = (s.Policies[0], s.Policies[1], s.Policies[2]);
        Assert.Equal("my-chunked", mine.Name);
        Assert.Equal((sarathi.Memory, sarathi.ChunkedPrefill, sarathi.Preemption, sarathi.LendsKv), (mine.Memory, mine.ChunkedPrefill, mine.Preemption, mine.LendsKv));
        Assert.Equal((true, PreemptionMode.Swap), (swapChunked.ChunkedPrefill, swapChunked.Preemption));
        var requests = s.Requests();
        var a = EngineTwin.Run(s.Deployment, sarathi, requests);
        var b = EngineTwin.Run(s.Deployment, mine, requests);
        Assert.Equal(a.Requests, b.Requests);
        Assert.Equal(a.Metrics, b.Metrics);
    }

    [Fact]
    public void EveryOptionCombination_OnATightCluster_KeepsTheEngineInvariants()
    {
        // Combinations no preset names (ORCA with chunked prefill, DistKV with swap, ...) must run too.
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 30_000 };
        var requests = EngineFixtures.AzureConversationBusy.Take(300).ToList();
        var combinations = 0;
        foreach (var entry in EnginePolicyCatalog.Policies.All.Where(e => e.PresetOf is null))
            foreach (var chunked in new[] { "false", "true" })
            {
                var raw = new List<RawOption> { new("chunked_prefill", chunked, null, "chunked_prefill") };
                if (entry.Name == "vllm") raw.AddRange([new("preemption", "swap", null, "preemption"), new("lends_kv", "true", null, "lends_kv")]);
                var problems = new List<InputProblem>();
                var policy = EnginePolicyCatalog.Policies.Create(EnginePolicyCatalog.Policies.Choose(entry.Name, entry.Name, raw, problems)!) with { Name = "combo" };
                Assert.Empty(problems);
                var result = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Instances: 2), policy, requests, checkInvariants: true);
                Assert.Equal(requests.Count, result.Requests.Count);
                combinations++;
            }
        Assert.Equal(4, combinations);
    }

    [Fact]
    public void ParseText_PolicyWithBadOptions_EveryProblemAtOnce()
    {
        var e = Fails(Valid.Replace("policies: [vllm, orca]", "policies: [{name: x, base: vllm, preemption: sometimes, chunked: true}]", StringComparison.Ordinal));

        Assert.Equal(2, e.Count);
        Assert.Contains("policies[0].preemption (line", e.Message, StringComparison.Ordinal);
        Assert.Contains("recompute, swap", e.Message, StringComparison.Ordinal);
        Assert.Contains("'chunked' is not an option of vllm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_Valid_ReadsEveryField()
    {
        var s = EngineScenarioParser.ParseText(Valid, "s.yaml", Path.GetTempPath());
        Assert.Equal(40000, s.Config.KvCapacityTokens);
        Assert.Equal(StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), s.Deployment.StepTime);
        Assert.Equal(["vllm", "orca-max-length"], s.Policies.Select(p => p.Name));
        Assert.Equal(20, s.Requests().Count);
        Assert.All(s.Requests(), r => Assert.Equal((100, 10), (r.PromptTokens, r.OutputTokens)));
    }

    [Theory]
    [InlineData("policies: [vllm, orca]", "policies: [vllm, fifo]", "policies[1]", "unknown policy")]
    [InlineData("gpu: h100-sxm", "gpu: h900", "gpu (line 4)", "unknown GPU")]
    [InlineData("rate_per_s: 5", "rate_per_s: -5", "workload.poisson.rate_per_s", "out of range")]
    [InlineData("seed: 3", "seed: 3\nmax_batchsize: 4", "max_batchsize (line 3)", "unknown field")]
    [InlineData("kv: {capacity_tokens: 40000}", "kv: {capacity_tokens: 40000, pages: 3}", "kv.pages (line 5)", "unknown field")]
    [InlineData("fitted: {preset: llama-3.1-8b-h100}", "fitted: {preset: gpt-h100}", "step_time.fitted.preset", "unknown step-time model")]
    public void ParseText_Mistake_NamesFieldLineAndFix(string from, string to, string field, string problem)
    {
        var e = Fails(Valid.Replace(from, to, StringComparison.Ordinal));
        Assert.Equal("s.yaml", e.File);
        Assert.StartsWith(field, e.Field, StringComparison.Ordinal);
        Assert.Contains("line", e.Field, StringComparison.Ordinal);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Fix));
    }

    [Fact]
    public void ParseText_MissingTraceFile_NamesPath()
    {
        var yaml = Valid.Replace("poisson: {rate_per_s: 5, requests: 20, prompt_tokens: 100, output_tokens: 10}", "trace: {path: no-such-trace.csv}", StringComparison.Ordinal);
        var e = Fails(yaml);
        Assert.StartsWith("workload.trace.path (line", e.Field, StringComparison.Ordinal);
        Assert.Contains("file not found", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_Trace_ScalesArrivalsAndLimits()
    {
        using var folder = new TempFolder();
        folder.Write("t.csv", "arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,5\n2,20,6\n4,30,7\n");
        var yaml = Valid.Replace("poisson: {rate_per_s: 5, requests: 20, prompt_tokens: 100, output_tokens: 10}", "trace: {path: t.csv, limit: 2, time_scale: 0.5}", StringComparison.Ordinal);
        var s = EngineScenarioParser.ParseText(yaml, "s.yaml", folder.Path);
        var r = s.Requests();
        Assert.Equal(2, r.Count);
        Assert.Equal(1000, r[1].ArrivalMs, 9);
        Assert.Equal((20, 6), (r[1].PromptTokens, r[1].OutputTokens));
    }

    public static IEnumerable<object[]> EngineExamples() =>
        Directory.GetFiles(Path.GetDirectoryName(ScenarioFiles.ExamplePath("x"))!, "engine-*.yaml").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(EngineExamples))]
    public void ParseText_EngineExamples_ResolveTheRepositoryDataAndYieldRequests(string name)
    {
        var path = ScenarioFiles.ExamplePath(name);
        var s = EngineScenarioParser.ParseText(File.ReadAllText(path), path, Path.GetDirectoryName(path)!);
        Assert.NotEmpty(s.Policies);
        Assert.NotEmpty(s.Requests());
        if (name.StartsWith("engine-azure", StringComparison.Ordinal)) Assert.IsType<EngineTraceWorkload>(s.Workload);
    }
}
