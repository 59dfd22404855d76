using Stamen.Placement;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Time of one `tradeoff` routing decision (NSGA-II chain search plus the knee pick) on the CG-BP
/// placement of the planner swarm (llama-2-70b, L = 80), typical request (20, 128). Two states:
/// empty, and half the servers' pools three-quarters committed (so free capacity differs and some
/// hops cannot hold the session). One timed repetition routes <c>decisions</c> requests, each with
/// its own seed; the row gives ms per decision.
/// </summary>
public sealed class TradeoffCases(int repetitions, int decisions, TextWriter log)
{
    private static readonly RequestShape Typical = new(20, 128);

    public IEnumerable<BenchRow> Run(int servers)
    {
        var swarm = BenchSwarms.PlannerSwarm(servers, clients: 4, seed: servers);
        var placement = new CgBpPlanner().Plan(new PlanningContext(swarm, Typical, ArrivalRatePerSec: 1, FixedDelayMs: 0, Seed: 1)).Placement;
        var size = $"{servers} servers, L = {swarm.Model.NumBlocks}";
        var router = new TradeoffRouter(swarm, placement);

        var empty = new SwarmState(swarm, placement);
        yield return Row("tradeoff route, empty state", size, Measure.Run(repetitions, () => Route(router, empty)));

        var loaded = new SwarmState(swarm, placement);
        var rng = new Random(servers);
        for (var j = 0; j < servers; j++)
        {
            var span = placement.Spans[j];
            if (span.Count == 0 || rng.NextDouble() < 0.5) continue;
            var bytes = 0.75 * placement.Caches[j].PoolBytes / span.Count;
            loaded.Ledger(j).Commit(new CacheCommitment(0, 1e9, span.Start, span.End, bytes));
        }
        yield return Row("tradeoff route, half the servers 3/4 full", size, Measure.Run(repetitions, () => Route(router, loaded)));
    }

    private void Route(TradeoffRouter router, SwarmState state)
    {
        for (var d = 0; d < decisions; d++)
            if (router.Choose(new RoutingQuery(d % state.Swarm.ClientCount, Typical, 0, state, new Random(d))) is null)
                throw new InvalidOperationException("tradeoff found no route");
    }

    private BenchRow Row(string name, string size, Timing total)
    {
        var perDecision = new Timing([.. total.SamplesMs.Select(ms => ms / decisions)]);
        log.WriteLine($"  {name,-44} {size,-24} median {perDecision.MedianMs,8:F3} ms per decision");
        return new BenchRow("routing", name, size, perDecision.MedianMs, perDecision.MinMs, perDecision.SamplesMs.Count,
            new Dictionary<string, double>(), perDecision.MedianMs < 5 ? "target < 5 ms per decision: met" : "target < 5 ms per decision: NOT met");
    }
}
