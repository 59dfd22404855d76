using FsCheck;
using FsCheck.Fluent;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Simulation.Metrics;

namespace Stamen.Tests.Engine;

/// <summary>
/// The engine advances running requests that decode every step together (<see cref="SteadyDecoders"/>). That is only a
/// faster way to compute the same run: every result, per request and in total, must equal advancing each request alone.
/// </summary>
public sealed class SteadyDecoderTests
{
    [Fact]
    public void Run_RandomClustersEveryPolicy_SteadyDecodersGiveExactlyTheRequestByRequestResults()
    {
        long steadyDecodes = 0, dissolves = 0, preemptions = 0, loads = 0, swaps = 0, borrowedBeside = 0;
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var (deployment, requests) = EngineFixtures.RandomCluster(new Random(seed));

            foreach (var policy in EnginePolicyCatalog.All)
            {
                var together = new EngineCluster(deployment, policy, requests, check: true);
                var fast = together.Run();
                var plain = new EngineCluster(deployment, policy, requests, check: true, steadyDecoders: false).Run();

                Assert.Equal(plain.Requests, fast.Requests);
                Assert.Equal(plain.Metrics, fast.Metrics);
                Assert.Equal(plain.Accounting, fast.Accounting);
                Assert.Equal(plain.Instances, fast.Instances);
                Assert.Equal(plain.Adapters, fast.Adapters);
                Assert.Equal(plain.KvTimeline, fast.KvTimeline);
                Assert.Equal(plain.ItlPercentilesMs, fast.ItlPercentilesMs);
                var (decodes, dissolved) = together.SteadyCounts;
                steadyDecodes += decodes;
                dissolves += dissolved;
                preemptions += fast.Metrics.Preemptions;
                loads += fast.Metrics.AdapterLoads;
                swaps += fast.Metrics.SwapOuts;
                if (fast.Metrics.RemoteAttentionMs > 0 && decodes > 0) borrowedBeside++;
            }
        }).QuickCheckThrowOnFailure();
        Assert.True(steadyDecodes > 0, "no decode was advanced as a steady decoder: the test compares nothing");
        Assert.True(dissolves > 0, "steady decoders never had to go back to one by one");
        Assert.True(preemptions > 0 && swaps > 0, "no random workload preempted and swapped");
        Assert.True(loads > 0, "no random workload loaded an adapter");
        Assert.True(borrowedBeside > 0, "no DistKV run borrowed KV while steady decoders ran");
    }

    [Fact]
    public void Run_OneLongDecode_AdvancedTogetherAfterItsFirstToken()
    {
        // One request alone: its prefill step gives the first token and makes it a steady decoder, so all 49 decodes after
        // that are advanced together, and nothing ever sends it back to one by one.
        var config = EngineFixtures.LlamaOnH100();
        var requests = new List<EngineRequest> { new(0, 0, 100, 50) };
        var cluster = new EngineCluster(new EngineDeployment(config, StepTimeCatalog.FittedPreset("qwen-2.5-7b-h100")), EnginePolicyCatalog.Find("vllm"), requests, check: true);

        var result = cluster.Run();

        Assert.Equal(50, result.Requests[0].GeneratedTokens);
        Assert.Equal(49, result.Accounting.DecodeTokensComputed);
        Assert.Equal((49L, 0L), cluster.SteadyCounts);
    }

    [Fact]
    public void AddRepeated_SameBitsAsAddingOneAtATime()
    {
        var one = new LogHistogram();
        var many = new LogHistogram();
        var rng = new Random(7);
        for (var k = 0; k < 200; k++)
        {
            var value = k % 10 == 0 ? 0 : rng.NextDouble() * 50;
            var count = rng.Next(0, 40);
            for (var i = 0; i < count; i++) one.Add(value);
            many.AddRepeated(value, count);
        }

        Assert.Equal(one.Count, many.Count);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Sum), BitConverter.DoubleToInt64Bits(many.Sum));
        Assert.Equal((one.Min, one.Max), (many.Min, many.Max));
        Assert.Equal(one.Quantiles(EngineRunResult.PercentileFractions), many.Quantiles(EngineRunResult.PercentileFractions));
        Assert.Throws<ArgumentOutOfRangeException>(() => many.AddRepeated(-1, 3));
    }
}
