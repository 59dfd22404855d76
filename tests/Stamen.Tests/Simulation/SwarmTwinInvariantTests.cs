using FsCheck;
using FsCheck.Fluent;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Tests.Support;
using Stamen.Workload;

namespace Stamen.Tests.Simulation;

public class SwarmTwinInvariantTests
{
    [Fact]
    public void Run_RandomWorkloadsBothPolicies_MemoryNeverExceededAndRequestsConserved()
    {
        var contended = 0;
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            foreach (var policy in new[] { AdmissionPolicy.Wait, AdmissionPolicy.FailFast })
            {
                var rng = new Random(seed);
                var swarm = TestSwarms.Random(seed, servers: rng.Next(8, 14));
                var perBlock = rng.Next(2) == 0;
                var placement = TwinFixtures.CoveringPlacement(swarm, new RequestShape(20, 64), perBlock, rng);
                var requests = TwinFixtures.Poisson(rng, 40, ratePerSec: 0.5 + rng.NextDouble() * 2, clients: 1);
                IRouter router = rng.Next(2) == 0 ? new RandomHolderRouter() : new FarthestReachRouter(true);
                var result = SwarmTwin.Run(new SwarmTwinInput(swarm, placement, router, policy, requests, seed)
                {
                    AllocationMs = rng.Next(2) == 0 ? 0 : 20_000,
                    CheckInvariants = true,
                });

                Assert.Empty(result.InvariantViolations);
                Assert.Empty(SweepViolations(swarm, placement, requests, result));
                Assert.All(result.Servers, s => Assert.True(s.PeakMemoryBytes <= s.MemoryLimitBytes * (1 + 1e-9)));
                if (result.Requests.Any(r => r.Retries > 0)) contended++;
            }
        }).QuickCheckThrowOnFailure();
        Assert.True(contended > 0, "no random workload made any request wait: the test checks nothing");
    }

    /// <summary>
    /// Rebuilds every cache commitment from the outcomes alone and checks the budget and memory
    /// at every instant a commitment starts (usage only rises there), independently of the ledger.
    /// </summary>
    private static List<string> SweepViolations(SwarmSpec swarm, BlockPlacement placement, List<SwarmRequest> requests, SwarmRunResult result)
    {
        var problems = new List<string>();
        var sessions = result.Requests.Where(r => r.Succeeded).ToList();
        for (var j = 0; j < swarm.ServerCount; j++)
        {
            var budget = placement.Caches[j];
            var mine = sessions.SelectMany(r => r.Hops.Where(h => h.Server == j).Select(h => (r, h))).ToList();
            foreach (var (probe, _) in mine)
            {
                var t = probe.StartMs;
                var active = mine.Where(x => x.r.StartMs <= t && t < x.r.EndMs).ToList();
                double Sc(RequestOutcome r) => swarm.Model.SessionCacheBytesPerBlock(requests[r.Id].Shape.PromptTokens, r.OutputTokens);
                var total = active.Sum(x => Sc(x.r) * x.h.Blocks);
                if (budget.PerBlock)
                {
                    for (var b = placement.Spans[j].Start; b < placement.Spans[j].End; b++)
                    {
                        var perBlock = active.Where(x => x.h.StartBlock <= b && b < x.h.EndBlock).Sum(x => Sc(x.r));
                        if (perBlock > budget.PoolBytes * (1 + 1e-9)) problems.Add($"server {j} block {b} at {t}: {perBlock} > {budget.PoolBytes}");
                    }
                }
                else if (total > budget.PoolBytes * (1 + 1e-9)) problems.Add($"server {j} at {t}: {total} > {budget.PoolBytes}");
                var memory = swarm.Model.BlockBytes * placement.Spans[j].Count + total;
                if (memory > swarm.Servers[j].MemoryBytes) problems.Add($"server {j} memory at {t}: {memory}");
            }
        }
        return problems;
    }
}
