using FsCheck;
using FsCheck.Fluent;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;

namespace Stamen.Tests.Engine;

public sealed class EngineInvariantTests
{
    [Fact]
    public void Run_RandomSmallWorkloadsEveryPolicy_InvariantsHoldAndEveryRequestCompletesOrIsRejected()
    {
        var preempted = 0;
        var rejected = 0;
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            var rng = new Random(seed);
            var config = EngineFixtures.LlamaOnH100() with
            {
                KvCapacityTokens = rng.Next(40, 3000),
                MaxBatchSize = rng.Next(1, 40),
                TokenBudgetPerIteration = rng.Next(1, 600),
                BlockSizeTokens = rng.Next(1, 33),
                MaxContextTokens = rng.Next(50, 2500),
            };
            var arrivalMs = 0.0;
            var requests = Enumerable.Range(0, rng.Next(1, 60)).Select(i =>
            {
                arrivalMs += rng.Next(3) == 0 ? 0 : rng.NextDouble() * 40;
                return new EngineRequest(i, arrivalMs, rng.Next(1, 700), rng.Next(1, 300));
            }).ToList();
            IStepTimeModel stepTime = rng.Next(2) == 0 ? StepTimeCatalog.FittedPreset("qwen-2.5-7b-h100") : new RooflineStepTimeModel(config);

            foreach (var policy in EnginePolicyCatalog.All)
            {
                var result = EngineTwin.Run(config, policy, stepTime, requests, checkInvariants: true);

                Assert.Equal(result.Accounting.AllocatedUnits, result.Accounting.FreedUnits);
                Assert.True(result.Accounting.PeakUnitsInUse <= result.Accounting.CapacityUnits);
                foreach (var (request, record) in requests.Zip(result.Requests))
                {
                    var never = request.PromptTokens + request.OutputTokens > config.MaxContextTokens
                        || policy.ReservedTokens(request, config) > config.KvCapacityTokens
                        || (policy.Memory == KvMemoryMode.PagedOnDemand
                            && (request.PromptTokens + request.OutputTokens - 2) / config.BlockSizeTokens + 1 > config.KvCapacityBlocks);
                    Assert.Equal(never ? EngineOutcome.Rejected : EngineOutcome.Completed, record.Outcome);
                    Assert.Equal(never ? 0 : request.OutputTokens, record.GeneratedTokens);
                }
                preempted += result.Metrics.Preemptions;
                rejected += result.Metrics.Rejected;
            }
        }).QuickCheckThrowOnFailure();
        Assert.True(preempted > 0, "no random workload caused a preemption: the test checks nothing about recompute");
        Assert.True(rejected > 0, "no random workload caused a rejection");
    }
}
