using Stamen.Experiments;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Workload;

namespace Stamen.Tests.Engine;

public sealed class EngineStudyTests
{
    /// <summary>A small cache (policies differ) and few requests (runs in a blink); the report tests use it too.</summary>
    internal const string Tight = """
        name: tight
        model: llama-3.1-8b
        gpu: h100-sxm
        kv: {capacity_tokens: 20000}
        max_context: 4096
        step_time:
          fitted: {preset: llama-3.1-8b-h100}
        workload:
          poisson: {rate_per_s: 2, requests: 300, prompt_tokens: {uniform: [100, 1500]}, output_tokens: {uniform: [50, 600]}}
        policies: [orca-max-length, vllm]
        """;

    [Fact]
    public void Scaled_EachWorkloadKind_ArrivalsDenserBySameFactorSameRequests()
    {
        var poisson = new EnginePoissonWorkload(new PoissonWorkload(3, 50, new FixedTokenCount(10), new FixedTokenCount(5), [1.0]));
        var perAdapter = new EngineAdapterPoissonWorkload(new AdapterPoissonWorkload([0.5, 1.5], 100, new FixedTokenCount(10), new FixedTokenCount(5)));
        foreach (EngineWorkloadDefinition w in (EngineWorkloadDefinition[])[poisson, perAdapter])
        {
            var slow = w.Generate(4);
            var fast = w.Scaled(2).Generate(4);
            var span = slow.Max(r => r.ArrivalMs) / fast.Max(r => r.ArrivalMs);
            Assert.InRange(span, perAdapter == w ? 0.9 : 1.999, perAdapter == w ? 2.1 : 2.001);
        }
        var trace = new EngineTraceWorkload("t.csv", null, 1.0, []);
        Assert.Equal(0.25, ((EngineTraceWorkload)trace.Scaled(4)).TimeScale);
    }

    [Fact]
    public void RateSweep_MemoryBoundEngine_VllmSustainsAtLeastTheRateOrcaMaxLengthDoes()
    {
        var scenario = EngineScenarioParser.ParseText(Tight, "t.yaml", Path.GetTempPath());

        var rows = EngineRateSweep.Run(scenario, [1, 2, 4, 8], new EngineSlo(P99TtftS: 10, MeanItlS: 0.2));

        var orca = rows.Single(r => r.Policy == "orca-max-length");
        var vllm = rows.Single(r => r.Policy == "vllm");
        Assert.All(rows, r => Assert.Equal([1.0, 2, 4, 8], r.Points.Select(p => p.RateFactor)));
        Assert.True((vllm.Capacity?.RateFactor ?? 0) > (orca.Capacity?.RateFactor ?? 0),
            "reserving the max context for every request should cost ORCA max-length capacity when KV memory is tight");
        Assert.All(rows, r => Assert.Equal(r.Points.TakeWhile(p => p.MeetsSlo).LastOrDefault(), r.Capacity));
    }

    [Fact]
    public void EngineSlo_EachBoundAndStarvationChecked()
    {
        var scenario = EngineScenarioParser.ParseText(Tight, "t.yaml", Path.GetTempPath());
        var m = EngineTwin.Run(scenario.Deployment, EnginePolicyCatalog.Find("vllm"), scenario.Requests()).Metrics;

        Assert.True(new EngineSlo(null, null).IsMetBy(m) == !m.Starvation.Starved);
        Assert.False(new EngineSlo(P99TtftS: m.TimeToFirstToken.P99Ms / 1000 * 0.99, MeanItlS: null).IsMetBy(m));
        Assert.False(new EngineSlo(P99TtftS: null, MeanItlS: m.InterTokenLatency.MeanMs / 1000 * 0.99).IsMetBy(m));
        Assert.False(new EngineSlo(null, null, P99EndToEndS: m.EndToEndLatency.P99Ms / 1000 * 0.99).IsMetBy(m));
    }

    [Fact]
    public void LoraGrid_SkipsSlotsAboveAdaptersAndReportsTheEngineThatWouldNotStart()
    {
        var setup = new LoraGridSetup("llama-3.1-8b", [16], 0.05, 30, new FixedTokenCount(100), new FixedTokenCount(20));

        var cells = LoraGridStudy.Run(setup, [8, 300], [8, 256]);

        Assert.Equal([(8, 8), (300, 8), (300, 256)], cells.Select(c => (c.Adapters, c.Slots)));
        Assert.Equal(302_000, cells[0].KvCapacityTokens);
        Assert.NotNull(cells[0].Metrics);
        // Rank 16 with 256 slots: the published engine fails to start.
        Assert.Null(cells[2].Metrics);
        Assert.Null(cells[2].KvCapacityTokens);
    }
}
