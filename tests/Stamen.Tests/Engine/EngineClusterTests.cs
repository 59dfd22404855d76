using FsCheck;
using FsCheck.Fluent;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;

namespace Stamen.Tests.Engine;

public sealed class EngineClusterTests
{
    private static EnginePolicy Policy(string name) => EnginePolicyCatalog.Find(name);

    [Fact]
    public void Run_RandomClustersWithAdapters_InvariantsHoldAndEveryRequestCompletesOrIsRejected()
    {
        var borrowed = 0.0;
        var swaps = 0;
        var loads = 0L;
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var (deployment, requests) = EngineFixtures.RandomCluster(new Random(seed));

            foreach (var policy in EnginePolicyCatalog.All)
            {
                var result = EngineTwin.Run(deployment, policy, requests, checkInvariants: true);

                Assert.Equal(result.Accounting.AllocatedUnits, result.Accounting.FreedUnits);
                Assert.All(result.Requests, r => Assert.Equal(r.Outcome == EngineOutcome.Completed ? r.OutputTokens : 0, r.GeneratedTokens));
                Assert.Equal(requests.Count, result.Instances.Sum(i => i.Routed));
                if (!policy.LendsKv || deployment.Instances == 1)
                    Assert.True(result.Accounting.PeakUnitsInUse <= result.Accounting.CapacityUnits);
                Assert.All(result.KvTimeline, k => Assert.InRange(k.Utilisation, 0, policy.LendsKv ? deployment.Instances : 1));
                borrowed += result.Metrics.RemoteAttentionMs;
                swaps += result.Metrics.SwapOuts;
                loads += result.Metrics.AdapterLoads;
            }
        }).QuickCheckThrowOnFailure();
        Assert.True(borrowed > 0, "no random cluster borrowed KV: the test checks nothing about lending");
        Assert.True(swaps > 0, "no random workload swapped: the test checks nothing about swap");
        Assert.True(loads > 0, "no random workload loaded an adapter");
    }

    [Fact]
    public void Run_DistKvContextLongerThanOneInstance_ServedWhereVllmRejects()
    {
        // Each instance holds 4,096 tokens; the long request needs 6,000. Its neighbour lends up to half of its cache.
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 4096, MaxContextTokens = 32_768 };
        var deployment = new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Instances: 2);
        var requests = new List<EngineRequest> { new(0, 0, 5000, 1000), new(1, 1, 300, 50) };

        var vllm = EngineTwin.Run(deployment, Policy("vllm"), requests, checkInvariants: true);
        var distkv = EngineTwin.Run(deployment, Policy("distkv"), requests, checkInvariants: true);

        Assert.Equal(EngineOutcome.Rejected, vllm.Requests[0].Outcome);
        Assert.Equal(EngineOutcome.Completed, distkv.Requests[0].Outcome);
        Assert.Equal(1000, distkv.Requests[0].GeneratedTokens);
        Assert.All(distkv.Requests, r => Assert.Equal(EngineOutcome.Completed, r.Outcome));
        Assert.True(distkv.Metrics.RemoteAttentionMs > 0, "attention over borrowed blocks must cost network time");
    }

    [Fact]
    public void Run_DistKvBeyondEveryLendingCap_Rejected()
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 4096, MaxContextTokens = 32_768 };
        var deployment = new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Instances: 3) { DistKv = new DistKvSettings(0.25) };

        // 4,096 own + 2 x 1,024 lendable = 6,144 tokens at most.
        var result = EngineTwin.Run(deployment, Policy("distkv"), [new EngineRequest(0, 0, 6000, 144), new EngineRequest(1, 0, 6000, 150)]);

        Assert.Equal([EngineOutcome.Completed, EngineOutcome.Rejected], result.Requests.Select(r => r.Outcome));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Run_DistKvOnOneInstanceOrWithoutLending_EqualsVllm(double lendingCap)
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 8192 };
        var requests = EngineFixtures.AzureConversationBusy.Take(300).ToList();
        var instances = lendingCap == 0 ? 3 : 1;
        var deployment = new EngineDeployment(config, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), instances, "least-outstanding")
        {
            DistKv = new DistKvSettings(lendingCap),
        };

        var vllm = EngineTwin.Run(deployment, Policy("vllm"), requests);
        var distkv = EngineTwin.Run(deployment, Policy("distkv"), requests);

        Assert.Equal(vllm.Requests, distkv.Requests);
        Assert.Equal(vllm.Metrics with { Starvation = distkv.Metrics.Starvation }, distkv.Metrics);
    }

    [Fact]
    public void Run_SwapUnderMemoryPressure_SwapsInsteadOfRecomputingAndPaysPcie()
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 2048 };
        var requests = Enumerable.Range(0, 16).Select(i => new EngineRequest(i, i * 0.001, 200, 300)).ToList();

        var recompute = EngineTwin.Run(config, Policy("vllm"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests, checkInvariants: true);
        var swap = EngineTwin.Run(config, Policy("vllm-swap"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests, checkInvariants: true);
        var slowPcie = EngineTwin.Run(config with { PcieBytesPerSec = 1e8 }, Policy("vllm-swap"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests);

        Assert.True(swap.Metrics.SwapOuts > 0);
        Assert.All(swap.Requests, r => Assert.Equal(EngineOutcome.Completed, r.Outcome));
        Assert.True(swap.Accounting.PrefillTokensComputed < recompute.Accounting.PrefillTokensComputed,
            "a swapped request resumes from its KV instead of prefilling again");
        Assert.Equal(requests.Sum(r => r.PromptTokens), swap.Accounting.PrefillTokensComputed - RecomputedPrefillsOf(swap, requests));
        Assert.True(slowPcie.Metrics.MakespanMs > swap.Metrics.MakespanMs, "copying KV over a slower link must take longer");
    }

    [Fact]
    public void Run_SwapWithoutSwapSpace_EqualsRecompute()
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 2048, SwapSpaceBytes = 0 };
        var requests = Enumerable.Range(0, 16).Select(i => new EngineRequest(i, i * 0.001, 200, 300)).ToList();

        var recompute = EngineTwin.Run(config, Policy("vllm"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests);
        var swap = EngineTwin.Run(config, Policy("vllm-swap"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests);

        Assert.Equal(recompute.Requests, swap.Requests);
        Assert.Equal(0, swap.Metrics.SwapOuts);
    }

    [Fact]
    public void Run_RoundRobin_AlternatesInstancesInArrivalOrder()
    {
        var deployment = new EngineDeployment(EngineFixtures.LlamaOnH100(), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Instances: 3);
        var requests = Enumerable.Range(0, 9).Select(i => new EngineRequest(i, i * 10.0, 100, 10)).ToList();

        var result = EngineTwin.Run(deployment, Policy("vllm"), requests);

        Assert.Equal(requests.Select(r => r.Id % 3), result.Requests.Select(r => r.Instance));
    }

    [Fact]
    public void Run_LeastOutstanding_SendsToTheIdleInstance()
    {
        var deployment = new EngineDeployment(EngineFixtures.LlamaOnH100(), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), 2, "least-outstanding");
        // Request 0 is long and keeps instance 0 busy; every later short one finds instance 1 emptier.
        var requests = new List<EngineRequest> { new(0, 0, 100, 2000) };
        requests.AddRange(Enumerable.Range(1, 5).Select(i => new EngineRequest(i, i * 1000.0, 100, 5)));

        var result = EngineTwin.Run(deployment, Policy("vllm"), requests);

        Assert.Equal([0, 1, 1, 1, 1, 1], result.Requests.Select(r => r.Instance));
    }

    [Fact]
    public void Run_SameInputs_SameResultsOnACluster()
    {
        var deployment = new EngineDeployment(EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 20_000 }, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), 3, "least-outstanding");
        var requests = EngineFixtures.AzureConversationBusy.Take(500).ToList();

        foreach (var policy in EnginePolicyCatalog.All)
        {
            var first = EngineTwin.Run(deployment, policy, requests);
            var second = EngineTwin.Run(deployment, policy, requests);
            Assert.Equal(first.Metrics, second.Metrics);
            Assert.Equal(first.Requests, second.Requests);
            Assert.Equal(first.KvTimeline, second.KvTimeline);
        }
    }

    [Fact]
    public void Starvation_OverloadedEngineStarvesLightOneDoesNot()
    {
        var config = EngineFixtures.LlamaOnH100();
        var light = Enumerable.Range(0, 600).Select(i => new EngineRequest(i, i * 1000.0, 200, 50)).ToList();
        var heavy = Enumerable.Range(0, 600).Select(i => new EngineRequest(i, i * 5.0, 2000, 400)).ToList();

        var lightRun = EngineTwin.Run(config, Policy("vllm"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), light).Metrics.Starvation;
        var heavyRun = EngineTwin.Run(config, Policy("vllm"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), heavy).Metrics.Starvation;

        Assert.False(lightRun.Starved);
        Assert.InRange(lightRun.OfferedTokensPerSec, 250 * 0.99, 250 * 1.01);
        Assert.True(heavyRun.Starved);
        Assert.True(heavyRun.ServedTokensPerSec < 0.9 * heavyRun.OfferedTokensPerSec);
    }

    /// <summary>Prefill tokens a run recomputed: for each preemption by recompute the request's context then; here, what exceeds the prompts.</summary>
    private static long RecomputedPrefillsOf(EngineRunResult run, IReadOnlyList<EngineRequest> requests) =>
        run.Metrics.Preemptions == run.Metrics.SwapOuts ? 0 : run.Accounting.PrefillTokensComputed - requests.Sum(r => r.PromptTokens);
}
