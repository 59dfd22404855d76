using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;

namespace Stamen.Tests.Engine;

public sealed class EngineTwinTests
{
    [Theory]
    [MemberData(nameof(EngineFixtures.PolicyNames), MemberType = typeof(EngineFixtures))]
    public void Run_AzureTraceEveryPolicy_ConservesTokensAndKv(string policyName)
    {
        var config = EngineFixtures.LlamaOnH100();
        var policy = EnginePolicyCatalog.Find(policyName);
        var requests = EngineFixtures.AzureConversationBusy;
        var steps = new RecordingStepTime(new RooflineStepTimeModel(config));

        var result = EngineTwin.Run(config, policy, steps, requests, checkInvariants: true);

        Assert.Equal(requests.Count, result.Requests.Count);
        foreach (var (request, record) in requests.Zip(result.Requests))
        {
            Assert.Equal(request.Id, record.Id);
            var total = request.PromptTokens + request.OutputTokens;
            var neverFits = total > config.MaxContextTokens || policy.ReservedTokens(request, config) > config.KvCapacityTokens;
            if (record.Outcome == EngineOutcome.Rejected)
            {
                Assert.True(neverFits, $"request {record.Id} rejected although it fits");
                Assert.Equal(0, record.GeneratedTokens);
                continue;
            }
            Assert.Equal(request.OutputTokens, record.GeneratedTokens);
            Assert.True(record.ArrivalMs < record.FirstTokenMs && record.FirstTokenMs <= record.FinishMs);
        }
        Assert.Equal(result.Accounting.AllocatedUnits, result.Accounting.FreedUnits);
        Assert.InRange(result.Accounting.PeakUnitsInUse, 1, result.Accounting.CapacityUnits);
        var completed = result.Requests.Where(r => r.Outcome == EngineOutcome.Completed).ToList();
        // Every output token is emitted by exactly one prefill completion or one decode step.
        Assert.Equal(completed.Sum(r => (long)r.OutputTokens), result.Accounting.DecodeTokensComputed + completed.Count + completed.Sum(r => (long)r.Preemptions));
        Assert.True(result.Accounting.PrefillTokensComputed >= completed.Sum(r => (long)r.PromptTokens));
        Assert.All(steps.Shapes, s => Assert.InRange(s.BatchRequests, 1, config.MaxBatchSize));
        if (policy.ChunkedPrefill)
            Assert.All(steps.Shapes, s => Assert.True(s.PrefillTokens + s.DecodeRequests <= config.TokenBudgetPerIteration));
    }

    [Fact]
    public void Run_AzureTraceBusy_VllmWastesUnder4PercentWhileOrcaMaxLengthReservesFarMore()
    {
        var config = EngineFixtures.LlamaOnH100();
        var steps = new RooflineStepTimeModel(config);
        var requests = EngineFixtures.AzureConversationBusy;

        var vllm = EngineTwin.Run(config, EnginePolicyCatalog.Find("vllm"), steps, requests).Metrics;
        var orca = EngineTwin.Run(config, EnginePolicyCatalog.Find("orca"), steps, requests).Metrics;

        Assert.True(vllm.KvUtilisation > 0.2, $"engine not busy: KV utilisation {vllm.KvUtilisation:F3}");
        Assert.True(vllm.KvWasteFraction < 0.04, $"vLLM waste {vllm.KvWasteFraction:F4}");
        Assert.True(orca.KvWasteFraction > 0.2 && orca.KvWasteFraction > 10 * vllm.KvWasteFraction,
            $"ORCA max-length waste {orca.KvWasteFraction:F4} vs vLLM {vllm.KvWasteFraction:F4}");
        Assert.True(vllm.OutputTokensPerSec > orca.OutputTokensPerSec, "paged memory should batch more and serve faster");
    }

    [Theory]
    [MemberData(nameof(EngineFixtures.PolicyNames), MemberType = typeof(EngineFixtures))]
    public void Run_RooflineModel_ThroughputNeverExceedsRooflineBound(string policyName)
    {
        var config = EngineFixtures.LlamaOnH100() with { MaxBatchSize = 64 };
        var roofline = new RooflineStepTimeModel(config);

        var metrics = EngineTwin.Run(config, EnginePolicyCatalog.Find(policyName), roofline, EngineFixtures.AzureConversationBusy).Metrics;

        // Each iteration reads all weights once and emits at most one token per batched request;
        // each computed token costs at least its FLOPs at the better MFU.
        var outputBound = config.MaxBatchSize * 1000.0 / roofline.WeightReadMs;
        var totalBound = 1000.0 / roofline.MinComputeMsPerToken;
        Assert.InRange(metrics.OutputTokensPerSec, 1, outputBound);
        Assert.InRange(metrics.TotalTokensPerSec, 1, totalBound);
    }

    [Theory]
    [InlineData("vllm", 1, 1)]
    [InlineData("vllm", 100, 50)]
    [InlineData("sarathi", 1500, 7)]
    [InlineData("orca-oracle", 37, 200)]
    public void Run_LoneRequestFittedModel_MatchesClosedForm(string policyName, int prompt, int output)
    {
        var config = EngineFixtures.LlamaOnH100();
        var fitted = StepTimeCatalog.FittedPreset("llama-3.1-8b-h100");
        var arrivalMs = 1234.5;

        var record = EngineTwin.Run(config, EnginePolicyCatalog.Find(policyName), fitted,
            [new EngineRequest(7, arrivalMs, prompt, output)]).Requests.Single();

        var prefillMs = fitted.C1MsPerRequest + fitted.C0Ms + fitted.PrefillMsPerToken * prompt;
        var decodeMs = fitted.C1MsPerRequest + fitted.C0Ms;
        Assert.Equal(prefillMs, record.FirstTokenMs - arrivalMs, 9);
        Assert.Equal(prefillMs + (output - 1) * decodeMs, record.FinishMs - arrivalMs, 9);
    }

    [Theory]
    [InlineData(5000, 2048, 3)]
    [InlineData(4096, 2048, 2)]
    [InlineData(100, 7, 15)]
    public void Run_LoneLongPromptSarathi_PrefillTakesOneIterationPerChunk(int prompt, int budget, int chunks)
    {
        var config = EngineFixtures.LlamaOnH100() with { TokenBudgetPerIteration = budget };
        var fitted = StepTimeCatalog.FittedPreset("qwen-2.5-7b-h100");

        var record = EngineTwin.Run(config, EnginePolicyCatalog.Find("sarathi"), fitted, [new EngineRequest(0, 0, prompt, 3)]).Requests.Single();

        var iterationMs = fitted.C1MsPerRequest + fitted.C0Ms;
        Assert.Equal(chunks * iterationMs + fitted.PrefillMsPerToken * prompt, record.FirstTokenMs, 9);
        Assert.Equal(record.FirstTokenMs + 2 * iterationMs, record.FinishMs, 9);
    }

    [Fact]
    public void Run_AzureTraceSmallCacheVllm_PreemptsAndStillCompletesEveryRequest()
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 40_000 };
        var requests = EngineFixtures.AzureConversationBusy.Take(600).ToList();

        var result = EngineTwin.Run(config, EnginePolicyCatalog.Find("vllm"), new RooflineStepTimeModel(config), requests,
            checkInvariants: true);

        Assert.True(result.Metrics.Preemptions > 0, "a 40k-token cache under this load should force preemptions");
        Assert.All(result.Requests, r => Assert.Equal(r.OutputTokens, r.GeneratedTokens));
        Assert.Equal(result.Accounting.AllocatedUnits, result.Accounting.FreedUnits);
        Assert.True(result.Metrics.KvWasteFraction < 0.04);
    }

    [Theory]
    [MemberData(nameof(EngineFixtures.PolicyNames), MemberType = typeof(EngineFixtures))]
    public void Run_SameInputsTwice_IdenticalRecordsAndMetrics(string policyName)
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 60_000 };
        var policy = EnginePolicyCatalog.Find(policyName);
        var requests = EngineFixtures.AzureConversationBusy.Take(500).ToList();

        var first = EngineTwin.Run(config, policy, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests);
        var second = EngineTwin.Run(config, policy, StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests);

        Assert.Equal(first.Metrics, second.Metrics);
        Assert.Equal(first.Requests, second.Requests);
    }

    [Theory]
    [InlineData("vllm")]
    [InlineData("sarathi")]
    public void Run_PagedUnderMemoryPressure_PreemptsNewestAndStillCompletesEveryRequest(string policyName)
    {
        // 16 requests growing to 500 tokens each need 8,000 slots; the cache holds 2,048.
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 2048 };
        var requests = Enumerable.Range(0, 16).Select(i => new EngineRequest(i, i * 0.001, 200, 300)).ToList();

        var result = EngineTwin.Run(config, EnginePolicyCatalog.Find(policyName), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"),
            requests, checkInvariants: true);

        Assert.True(result.Metrics.Preemptions > 0);
        Assert.Equal(result.Metrics.Preemptions, result.Requests.Sum(r => r.Preemptions));
        Assert.All(result.Requests, r =>
        {
            Assert.Equal(EngineOutcome.Completed, r.Outcome);
            Assert.Equal(r.OutputTokens, r.GeneratedTokens);
        });
        Assert.Equal(result.Accounting.AllocatedUnits, result.Accounting.FreedUnits);
        // The oldest request is never the victim while newer ones run, so it is never preempted.
        Assert.Equal(0, result.Requests[0].Preemptions);
        Assert.Contains(result.Requests, r => r.Preemptions > 0);
        Assert.True(result.Accounting.PrefillTokensComputed > requests.Sum(r => r.PromptTokens), "recompute should re-prefill");
    }

    [Theory]
    [MemberData(nameof(EngineFixtures.PolicyNames), MemberType = typeof(EngineFixtures))]
    public void Run_RequestLargerThanCache_RejectedOthersComplete(string policyName)
    {
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 4096, MaxContextTokens = 4096 };
        var requests = new List<EngineRequest> { new(0, 0, 100, 10), new(1, 0, 4000, 500), new(2, 5, 50, 20) };

        var result = EngineTwin.Run(config, EnginePolicyCatalog.Find(policyName), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests, checkInvariants: true);

        Assert.Equal([EngineOutcome.Completed, EngineOutcome.Rejected, EngineOutcome.Completed], result.Requests.Select(r => r.Outcome));
        Assert.Equal(1, result.Metrics.Rejected);
    }

    [Fact]
    public void Run_SarathiPromptThatDoesNotFitBesideARunningOne_WaitsInsteadOfStartingAChunk()
    {
        // 100 blocks of 16. A holds 63 blocks for its prompt and grows to 82; B's prompt needs 75: it must wait for A,
        // where admitting B on its first 256-token chunk would run memory out and preempt.
        var config = EngineFixtures.LlamaOnH100() with { KvCapacityTokens = 1600, TokenBudgetPerIteration = 256 };
        var requests = new List<EngineRequest> { new(0, 0, 1000, 300), new(1, 0.001, 1200, 10) };

        var result = EngineTwin.Run(config, EnginePolicyCatalog.Find("sarathi"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), requests, checkInvariants: true);

        Assert.Equal(0, result.Metrics.Preemptions);
        Assert.True(result.Requests[1].FirstTokenMs > result.Requests[0].FinishMs);
    }

    [Fact]
    public void Find_OrcaAliasAndCase_ResolvesAndUnknownThrows()
    {
        Assert.Equal("orca-max-length", EnginePolicyCatalog.Find("ORCA").Name);
        Assert.All(EnginePolicyCatalog.Names, n => Assert.Equal(n, EnginePolicyCatalog.Find(n.ToUpperInvariant()).Name));
        Assert.Throws<StamenInputException>(() => EnginePolicyCatalog.Find("fastertransformer"));
    }

    [Theory]
    [InlineData(100, 28, 128)]
    [InlineData(1000, 24, 1024)]
    [InlineData(1000, 48, 2048)]
    public void ReservedTokens_EachOrcaVariant_ReservesItsRule(int prompt, int output, int pow2)
    {
        var config = EngineFixtures.LlamaOnH100();
        var request = new EngineRequest(0, 0, prompt, output);

        Assert.Equal(config.MaxContextTokens, EnginePolicyCatalog.Find("orca-max-length").ReservedTokens(request, config));
        Assert.Equal(pow2, EnginePolicyCatalog.Find("orca-pow2").ReservedTokens(request, config));
        Assert.Equal(prompt + output, EnginePolicyCatalog.Find("orca-oracle").ReservedTokens(request, config));
        Assert.Equal(0, EnginePolicyCatalog.Find("vllm").ReservedTokens(request, config));
    }

    [Theory]
    [InlineData(0, 1, 500)]
    [InlineData(2048, 0, 0)]
    [InlineData(300, 200, 300_000)]
    [InlineData(0, 256, 10)]
    public void StepMs_Roofline_EqualsPrefillPlusSlowerOfDecodeComputeAndMemory(int prefill, int decodes, long context)
    {
        var config = EngineFixtures.LlamaOnH100();
        var flops = 2.0 * config.Model.ParamsPerBlock * config.Model.NumBlocks;
        var peak = config.Gpu.PeakTflops * 1e12;
        var bandwidth = config.Gpu.BandwidthBytesPerSec;

        var ms = new RooflineStepTimeModel(config, prefillMfu: 0.4, decodeMfu: 0.25, mbu: 0.75)
            .StepMs(new IterationShape(prefill, decodes, context, decodes + (prefill > 0 ? 1 : 0), decodes + (prefill > 0 ? 1 : 0)));

        var expectedS = prefill * flops / (peak * 0.4)
            + Math.Max(decodes * flops / (peak * 0.25), (config.WeightBytes + context * config.KvBytesPerToken) / (bandwidth * 0.75));
        Assert.Equal(expectedS * 1000, ms, 9);
    }

    [Fact]
    public void ForGpu_LlamaOnH100_KvCapacityFromMemoryLeftByWeights()
    {
        var config = EngineFixtures.LlamaOnH100();

        var expected = (config.Gpu.MemoryBytes - config.WeightBytes) * EngineConfig.DefaultMemoryUtilisation / config.KvBytesPerToken;
        Assert.Equal(Math.Floor(expected), config.KvCapacityTokens);
        Assert.Equal(131072, config.KvBytesPerToken);
        Assert.InRange(config.WeightBytes, 15e9, 17e9);
    }
}
