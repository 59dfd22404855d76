using Stamen.Placement;
using Stamen.Plans;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Planning time of GBP-CR + GCA (explicit chain composition) on the planner swarm (llama-2-70b,
/// L = 80, mixed GPUs, 4 clients), typical request (20, 128), no fixed delay. At 1 request/s
/// GBP-CR places only the few fastest servers one chain needs, so a heavier rate is also timed:
/// there most servers are placed and GCA composes many chains.
/// Figures: the chains composed and their session slots, from the plan's <c>Placement.Chains</c>.
/// </summary>
public sealed class ChainCases(int repetitions, TextWriter log)
{
    private static readonly RequestShape Typical = new(20, 128);

    public BenchRow Run(int servers, double ratePerSec = 1)
    {
        var swarm = BenchSwarms.PlannerSwarm(servers, clients: 4, seed: servers);
        var context = new PlanningContext(swarm, Typical, ArrivalRatePerSec: ratePerSec, FixedDelayMs: 0, Seed: 1);
        var size = $"{servers} servers, L = {swarm.Model.NumBlocks}, {ratePerSec:0.#}/s";
        var planner = new GbpCrPlanner();
        PlacementPlan plan = null!;
        var t = Measure.Run(repetitions, () => plan = planner.Plan(context));
        var chains = plan.Placement.Chains;
        var figures = new Dictionary<string, double>
        {
            ["chains"] = chains.Count,
            ["slots_total"] = chains.Sum(c => (long)c.Slots),
            ["reservation_c"] = plan.Figures["reservation_c"],
            ["blocks_total"] = plan.Figures["blocks_total"],
        };
        log.WriteLine($"  {"GBP-CR + GCA plan",-20} {size,-32} median {t.MedianMs,10:F2} ms  chains {chains.Count}  slots {figures["slots_total"]}");
        return new BenchRow("chains", "GBP-CR + GCA plan", size, t.MedianMs, t.MinMs, t.SamplesMs.Count, figures);
    }
}
