using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;

namespace Stamen.Tests.Engine;

public sealed class EngineLoraTests
{
    /// <summary>The Llama-3.1-8B profile's scheduler overhead (Catalogs/lora.yaml), whose constants the hand-worked value below restates from the reference.</summary>
    private static SchedulerOverhead PublishedOverhead =>
        Stamen.Adapters.LoraProfileCatalog.BuiltIn.TryFind("llama-3.1-8b", out var p) ? p.SchedulerOverhead! : throw new InvalidOperationException("no llama profile");

    private static readonly Dictionary<int, double> NoLoadCost = [];

    private static LoraEngineSettings Lora(int adapters, int maxLoras, LoraOverhead? overhead = null, IReadOnlyDictionary<int, double>? loadCost = null,
        int? maxCpuLoras = null, double diskLoadMs = 0) =>
        new([.. Enumerable.Range(0, adapters).Select(k => new LoraAdapter($"a{k}", 8))], maxLoras, 8, loadCost ?? NoLoadCost, overhead, maxCpuLoras, diskLoadMs);

    [Theory]
    [MemberData(nameof(EngineFixtures.PolicyNames), MemberType = typeof(EngineFixtures))]
    public void Run_OneAdapterWithoutOverhead_EqualsTheBaseEngine(string policyName)
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 60_000 };
        var baseRequests = EngineFixtures.AzureConversationBusy.Take(400).ToList();
        var adapterRequests = baseRequests.Select(r => r with { Adapter = 0 }).ToList();
        var policy = EnginePolicyCatalog.Find(policyName);

        var plain = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100")), policy, baseRequests);
        var lora = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(1, 1)), policy, adapterRequests, checkInvariants: true);

        Assert.Equal(plain.Requests.Select(r => r with { Adapter = "a0" }), lora.Requests);
        Assert.Equal(plain.Metrics with { AdapterLoads = 1 }, lora.Metrics);
    }

    [Fact]
    public void Run_OneRequestWithOverheadAndLoadCost_StepIsBaseTimesMultiplierPlusLoad()
    {
        var config = EngineFixtures.LlamaOnH100();
        var fitted = StepTimeCatalog.FittedPreset("llama-3.1-8b-h100");
        var overhead = new LoraOverhead(1.93011757, 200.01448221);
        var settings = Lora(1, 1, overhead, new Dictionary<int, double> { [8] = 6.612 }, maxCpuLoras: 1, diskLoadMs: 20);

        var record = EngineTwin.Run(new EngineDeployment(config, fitted, Lora: settings), EnginePolicyCatalog.Find("vllm"),
            [new EngineRequest(0, 0, 500, 3, Adapter: 0)]).Requests.Single();

        var multiplier = (1.93011757 + 200.01448221) / 100;
        var prefillMs = (fitted.C1MsPerRequest + fitted.C0Ms + fitted.PrefillMsPerToken * 500) * multiplier + 6.612 + 20;
        var decodeMs = (fitted.C1MsPerRequest + fitted.C0Ms) * multiplier;
        Assert.Equal(prefillMs, record.FirstTokenMs, 9);
        Assert.Equal(prefillMs + 2 * decodeMs, record.FinishMs, 9);
    }

    [Fact]
    public void SchedulerOverhead_Published_HandWorkedValues()
    {
        var o = PublishedOverhead;
        // 10 running, 2,000 waiting, 8 slots, 32 adapters served (W x slots / served = 500): 0.164 ms.
        var seconds = 0.004373 * (10 - 0.232143) / (1081.371212 - 0.232143) + 0.004615 * 2000 / 20309.088235
            - 0.004391 * 500 / 16371.311594 - 0.00019642263413907038;
        Assert.Equal(1000 * seconds, o.Ms(10, 2000, 8, 32), 12);
        Assert.InRange(o.Ms(10, 2000, 8, 32), 0.16, 0.17);
        // A light step (10 running, 100 waiting): the fitted terms fall below the baseline, and the overhead is 0, never negative.
        Assert.Equal(0, o.Ms(10, 100, 8, 32));
    }

    [Fact]
    public void Run_SchedulerOverhead_AddsItsMsToTheStepForTheCountsAfterScheduling()
    {
        // One request per step (max batch 1) and 2,000 more waiting: step 1 has B = 1 running and W = 2,000 waiting
        // after scheduling, so the first request's first token comes exactly the overhead for (1, 2000) later.
        var config = EngineFixtures.LlamaOnH100() with { MaxBatchSize = 1 };
        var requests = Enumerable.Range(0, 2001).Select(i => new EngineRequest(i, 0, 50, 2, i % 8)).ToList();
        var plain = Lora(8, 2);
        var withOverhead = plain with { SchedulerOverhead = PublishedOverhead };

        var a = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: plain), EnginePolicyCatalog.Find("vllm"), requests);
        var b = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: withOverhead), EnginePolicyCatalog.Find("vllm"), requests,
            checkInvariants: true);

        var expected = PublishedOverhead.Ms(1, 2000, 2, 8);
        Assert.True(expected > 0.1, $"overhead {expected} ms: the case lost its point");
        Assert.Equal(a.Requests[0].FirstTokenMs + expected, b.Requests[0].FirstTokenMs, 9);
        Assert.True(b.Metrics.MakespanMs > a.Metrics.MakespanMs);
    }

    [Fact]
    public void Run_RequestAdmittedLateAfterAnAdapterSkip_RunsBehindEarlierAdmissionsSoTheirDecodesKeepTheirStep()
    {
        // Two adapter slots, a 64-token budget with chunked prefill (sarathi), all four arrive at 0:
        // A (adapter 0, 16 + 20 tokens), B (adapter 1, 16 + 3), X (adapter 2, 300 + 2), C (adapter 0, 16 + 20).
        // Step 1 admits A and B (adapters 0 and 1), skips X (a third adapter), admits C (adapter 0 is in the
        // batch): 48 prompt tokens. B's three tokens end at step 3, so step 4 decodes A and C and admits X
        // with the 62 tokens left. In step 5, running in admission order (A, C, X), A and C decode and X's
        // next chunk takes the 62 left. Ordered by arrival (A, X, C), X's chunk would take all 63 tokens
        // after A's decode and C would lose the step. A and C are alike, so they finish together.
        var config = EngineFixtures.LlamaOnH100() with { TokenBudgetPerIteration = 64 };
        var requests = new List<EngineRequest> { new(0, 0, 16, 20, 0), new(1, 0, 16, 3, 1), new(2, 0, 300, 2, 2), new(3, 0, 16, 20, 0) };

        var result = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(3, 2)), EnginePolicyCatalog.Find("sarathi"),
            requests, checkInvariants: true);

        var (a, b, x, c) = (result.Requests[0], result.Requests[1], result.Requests[2], result.Requests[3]);
        Assert.True(x.FirstTokenMs > b.FinishMs, "X must have been skipped until B freed its adapter slot");
        Assert.True(x.FirstTokenMs < a.FinishMs, "X must be admitted while A and C still decode");
        Assert.Equal(a.FirstTokenMs, c.FirstTokenMs);
        Assert.Equal(a.FinishMs, c.FinishMs);
    }

    [Fact]
    public void Run_BatchFullOfAdapters_SkipsTheNewAdapterAndAdmitsALaterRequestOfAResidentOne()
    {
        var config = EngineFixtures.LlamaOnH100();
        // One slot: while adapter 0's long request runs, adapter 1's request waits, but a later adapter-0 request joins.
        var requests = new List<EngineRequest> { new(0, 0, 100, 200, 0), new(1, 1, 100, 5, 1), new(2, 2, 100, 5, 0) };

        var result = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(2, 1)), EnginePolicyCatalog.Find("vllm"),
            requests, checkInvariants: true);

        var (first, skipped, later) = (result.Requests[0], result.Requests[1], result.Requests[2]);
        Assert.True(later.FinishMs < first.FinishMs, "the resident adapter's later request should run beside the first");
        Assert.True(skipped.FirstTokenMs > first.FinishMs, "the other adapter's request cannot join while the only slot is in use");
        Assert.Equal(2, result.Metrics.AdapterLoads);
    }

    [Fact]
    public void Run_BatchFullOfAdapters_AdmitsEveryLaterRequestOfAResidentOneInTheSameStep()
    {
        // One slot held by adapter 0; behind three adapter-1 requests wait two adapter-0 ones. The scan skips the three and
        // admits both in one step (it stops early only once no request of a batch adapter is left in the queue).
        var config = EngineFixtures.LlamaOnH100();
        var requests = new List<EngineRequest>
        {
            new(0, 0, 100, 200, 0), new(1, 1, 100, 5, 1), new(2, 2, 100, 5, 1), new(3, 3, 100, 5, 1), new(4, 4, 100, 5, 0), new(5, 5, 100, 5, 0),
        };

        var result = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(2, 1)), EnginePolicyCatalog.Find("vllm"),
            requests, checkInvariants: true);

        var r = result.Requests;
        Assert.Equal(r[4].FirstTokenMs, r[5].FirstTokenMs);
        Assert.True(r[5].FinishMs < r[0].FinishMs, "both later adapter-0 requests should run beside the first");
        Assert.All(r.Skip(1).Take(3), x => Assert.True(x.FirstTokenMs > r[0].FinishMs));
    }

    [Fact]
    public void Run_ManyAdaptersFewSlots_NeverMoreDistinctAdaptersThanSlotsAndSlowerThanEnoughSlots()
    {
        var config = EngineFixtures.LlamaOnH100();
        var rng = new Random(5);
        var requests = Enumerable.Range(0, 400).Select(i => new EngineRequest(i, i * 20.0, rng.Next(50, 800), rng.Next(5, 200), rng.Next(12))).ToList();
        var load = new Dictionary<int, double> { [8] = 6.612 };

        // checkInvariants makes every iteration assert at most max_loras adapters in the batch and on the GPU.
        var few = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(12, 3, loadCost: load)),
            EnginePolicyCatalog.Find("vllm"), requests, checkInvariants: true);
        var all = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(12, 12, loadCost: load)),
            EnginePolicyCatalog.Find("vllm"), requests, checkInvariants: true);

        Assert.Equal(12, all.Metrics.AdapterLoads);
        Assert.True(few.Metrics.AdapterLoads >= 12);
        Assert.True(few.Metrics.EndToEndLatency.MeanMs > all.Metrics.EndToEndLatency.MeanMs);
        Assert.All(few.Requests, r => Assert.Equal(EngineOutcome.Completed, r.Outcome));
    }

    [Theory]
    [InlineData(3, 12)]
    [InlineData(6, 6)]
    public void Run_AdaptersInTurnTwice_LeastRecentlyUsedSlotsReloadOnlyWhatWasEvicted(int slots, int expectedLoads)
    {
        // Six adapters one after another, then again: with three slots each second-round adapter was evicted by then.
        var requests = Enumerable.Range(0, 12).Select(i => new EngineRequest(i, i * 2000.0, 100, 10, i % 6)).ToList();

        var result = EngineTwin.Run(new EngineDeployment(EngineFixtures.LlamaOnH100(), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(6, slots)),
            EnginePolicyCatalog.Find("vllm"), requests, checkInvariants: true);

        Assert.Equal(expectedLoads, result.Metrics.AdapterLoads);
    }

    [Fact]
    public void Run_AdapterAffinity_KeepsEachAdapterOnOneInstanceUnderLightLoad()
    {
        var config = EngineFixtures.LlamaOnH100();
        var rng = new Random(3);
        var requests = Enumerable.Range(0, 60).Select(i => new EngineRequest(i, i * 500.0, 100, 10, rng.Next(6))).ToList();
        var deployment = new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), 3, "adapter-affinity", Lora(6, 2));

        var result = EngineTwin.Run(deployment, EnginePolicyCatalog.Find("vllm"), requests);
        var roundRobin = EngineTwin.Run(deployment with { Router = EngineRouterCatalog.RoundRobin }, EnginePolicyCatalog.Find("vllm"), requests);

        Assert.All(result.Requests.GroupBy(r => r.Adapter), g => Assert.Single(g.Select(r => r.Instance).Distinct()));
        Assert.Equal(6, result.Metrics.AdapterLoads);
        Assert.True(roundRobin.Metrics.AdapterLoads > result.Metrics.AdapterLoads);
    }

    [Fact]
    public void Run_PerAdapterStarvation_ReportedForTheAdapterThatCannotKeepUp()
    {
        var config = EngineFixtures.LlamaOnH100();
        // Adapter 0 floods the engine with long requests, adapter 1 sends a trickle; with one slot they take turns.
        var requests = new List<EngineRequest>();
        for (var i = 0; i < 600; i++) requests.Add(new EngineRequest(requests.Count, i * 50.0, 1500, 300, 0));
        for (var i = 0; i < 30; i++) requests.Add(new EngineRequest(requests.Count, i * 1000.0 + 50, 100, 20, 1));

        var result = EngineTwin.Run(new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(2, 1)), EnginePolicyCatalog.Find("vllm"), requests);

        Assert.Equal(["a0", "a1"], result.Adapters.Select(a => a.Name));
        Assert.Equal([600, 30], result.Adapters.Select(a => a.Requests));
        Assert.True(result.Metrics.Starvation.Starved);
        Assert.True(result.Adapters[1].Starvation.Starved, "the trickle adapter waits while the flood holds the only slot");
    }

    [Fact]
    public void Run_RequestForUnlistedAdapter_InputError()
    {
        var e = Assert.Throws<StamenInputException>(() => EngineTwin.Run(
            new EngineDeployment(EngineFixtures.LlamaOnH100(), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Lora: Lora(2, 1)),
            EnginePolicyCatalog.Find("vllm"), [new EngineRequest(0, 0, 10, 10, 2)]));
        Assert.Contains("adapter", e.Message, StringComparison.Ordinal);
    }
}
