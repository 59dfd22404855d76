using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Planner and routing time for llama-2-70b (L = 80) on large swarms. CG-BP's R comes from the load
/// (typical request (20, 128), 1 request/s, no fixed delay). Routing is one request per client,
/// offline shortest path and WS-RR over an empty live state; router and state construction are
/// counted because a planner run builds them too.
/// </summary>
public sealed class PlannerCases(int repetitions, int clients, TextWriter log)
{
    private static readonly RequestShape Typical = new(20, 128);

    public IEnumerable<BenchRow> Run(int servers)
    {
        var swarm = BenchSwarms.PlannerSwarm(servers, clients, seed: servers);
        var context = new PlanningContext(swarm, Typical, ArrivalRatePerSec: 1, FixedDelayMs: 0, Seed: 1);
        var size = $"{servers} servers, L = {swarm.Model.NumBlocks}";

        var cgbp = new CgBpPlanner();
        PlacementPlan plan = null!;
        var planTime = Measure.Run(repetitions, () => plan = cgbp.Plan(context));
        yield return Row("CG-BP plan", size, planTime, Figures(plan, "sessions_R", "blocks_total"));

        var placement = plan.Placement;
        var shortest = Measure.Run(repetitions, () => RouteShortestPath(swarm, placement));
        yield return Row($"shortest-path route x{clients}", size, shortest, new Dictionary<string, double>());
        var wsrr = Measure.Run(repetitions, () => RouteWsRr(swarm, placement));
        yield return Row($"ws-rr route x{clients} (empty state)", size, wsrr, new Dictionary<string, double>());

        var both = Measure.Run(repetitions, () =>
        {
            var p = cgbp.Plan(context).Placement;
            RouteShortestPath(swarm, p);
            RouteWsRr(swarm, p);
        });
        yield return Row("CG-BP plan + both routings", size, both, new Dictionary<string, double>(),
            servers == 1000 ? (both.MedianMs < 100 ? "target < 100 ms: met" : "target < 100 ms: NOT met") : "");

        var noRebalance = new PetalsPlacementPlanner(PetalsPlacementOptions.Default with { Rebalance = false });
        var petalsTime = Measure.Run(repetitions, () => plan = noRebalance.Plan(context));
        yield return Row("PETALS plan, no rebalancing", size, petalsTime, Figures(plan, "min_block_throughput_rps", "servers_used"));
    }

    /// <summary>
    /// PETALS with rebalancing, run once (no warm-up: it is the slow case) on a background thread
    /// and abandoned after <paramref name="capMs"/>. An abandoned run keeps a core busy until the
    /// process exits, so the caller runs this last.
    /// </summary>
    public BenchRow RunPetalsRebalance(int servers, double capMs)
    {
        var swarm = BenchSwarms.PlannerSwarm(servers, clients, seed: servers);
        var context = new PlanningContext(swarm, Typical, ArrivalRatePerSec: 1, FixedDelayMs: 0, Seed: 1);
        var size = $"{servers} servers, L = {swarm.Model.NumBlocks}";
        PlacementPlan? plan = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var worker = new Thread(() => plan = new PetalsPlacementPlanner().Plan(context)) { IsBackground = true };
        worker.Start();
        var finished = worker.Join(TimeSpan.FromMilliseconds(capMs));
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!finished || plan is null)
        {
            log.WriteLine($"  PETALS with rebalancing at {servers} servers: abandoned after {capMs / 1000:F0} s");
            return new BenchRow("planner", "PETALS plan, rebalancing", size, double.NaN, double.NaN, 0, new Dictionary<string, double>(),
                $"did not finish within the {capMs / 1000:F0} s cap");
        }
        return Row("PETALS plan, rebalancing", size, new Timing([ms]), Figures(plan, "moves", "min_block_throughput_rps"), "one run, no warm-up");
    }

    private void RouteShortestPath(SwarmSpec swarm, BlockPlacement placement)
    {
        var router = new ShortestPathRouter(swarm, placement);
        var state = new SwarmState(swarm, placement);
        for (var c = 0; c < clients; c++)
            if (router.Choose(new RoutingQuery(c, Typical, 0, state, new Random(c))) is null)
                throw new InvalidOperationException("shortest path found no route");
    }

    private void RouteWsRr(SwarmSpec swarm, BlockPlacement placement)
    {
        var router = new WsRrRouter(swarm, placement);
        var state = new SwarmState(swarm, placement);
        for (var c = 0; c < clients; c++)
            if (router.Choose(new RoutingQuery(c, Typical, 0, state, new Random(c))) is null)
                throw new InvalidOperationException("WS-RR found no route");
    }

    private BenchRow Row(string name, string size, Timing t, IReadOnlyDictionary<string, double> figures, string note = "")
    {
        log.WriteLine($"  {name,-34} {size,-24} median {t.MedianMs,10:F2} ms");
        return new BenchRow("planner", name, size, t.MedianMs, t.MinMs, t.SamplesMs.Count, figures, note);
    }

    private static Dictionary<string, double> Figures(PlacementPlan plan, params string[] names) =>
        names.Where(plan.Figures.ContainsKey).ToDictionary(n => n, n => plan.Figures[n]);
}
