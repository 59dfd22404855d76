using Stamen.Placement;
using Stamen.Routing;
using Stamen.Simulation.Swarm;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Twin speed: simulated output tokens per wall second on one thread. bloom-176b on 20 A100-80GB
/// + 80 MIG slices, 4 clients, Poisson arrivals of (20, 128) requests. Only
/// <see cref="SwarmTwin.Run"/> is timed; planning, router construction and workload generation
/// happen before the clock starts.
/// </summary>
public sealed class TwinCases(int repetitions, int requests, TextWriter log)
{
    private const int Clients = 4;
    private static readonly RequestShape Shape = new(20, 128);

    public IEnumerable<BenchRow> Run(double ratePerSec, string load)
    {
        var swarm = BenchSwarms.TwinSwarm(Clients, seed: 7);
        var workload = new PoissonWorkload(ratePerSec, requests, new FixedTokenCount(Shape.PromptTokens),
            new FixedTokenCount(Shape.OutputTokens), Enumerable.Repeat(1.0, Clients).ToList()).Generate(11);
        var context = new PlanningContext(swarm, Shape, ratePerSec, FixedDelayMs: 0, Seed: 1);

        var cgbp = new CgBpPlanner().Plan(context).Placement;
        yield return Time("cg-bp+ws-rr", load, ratePerSec,
            new SwarmTwinInput(swarm, cgbp, new TimedRouter(new WsRrRouter(swarm, cgbp)), AdmissionPolicy.Wait, workload, 3));

        var petals = new PetalsPlacementPlanner().Plan(context).Placement;
        yield return Time("petals", load, ratePerSec,
            new SwarmTwinInput(swarm, petals, new TimedRouter(new PetalsMinLatencyRouter(swarm, petals)), AdmissionPolicy.FailFast, workload, 3));
    }

    private BenchRow Time(string algorithm, string load, double ratePerSec, SwarmTwinInput input)
    {
        SwarmRunResult result = null!;
        var router = (TimedRouter)input.Router;
        var t = Measure.Run(repetitions, () =>
        {
            router.Reset();
            result = SwarmTwin.Run(input);
        });
        var succeeded = result.Requests.Where(r => r.Succeeded).ToList();
        var tokens = succeeded.Sum(r => (double)r.OutputTokens);
        var seconds = t.MedianMs / 1000.0;
        var simulatedSeconds = result.Requests.Max(r => r.EndMs) / 1000.0;
        var figures = new Dictionary<string, double>
        {
            ["rate_per_s"] = ratePerSec,
            ["simulated_tokens"] = tokens,
            ["tokens_per_wall_s"] = tokens / seconds,
            ["events"] = result.EventsProcessed,
            ["events_per_wall_s"] = result.EventsProcessed / seconds,
            ["succeeded_fraction"] = succeeded.Count / (double)result.Requests.Count,
            ["mean_ms_per_token"] = succeeded.Count == 0 ? double.NaN : succeeded.Average(r => r.AverageMsPerToken),
            ["mean_wait_ms"] = succeeded.Count == 0 ? double.NaN : succeeded.Average(r => r.WaitMs),
            ["simulated_s"] = simulatedSeconds,
            ["router_calls"] = router.Calls,
            ["routing_share_of_last_run"] = router.ElapsedMs / t.SamplesMs[^1],
        };
        var name = $"twin {algorithm}, {load}";
        var size = $"{result.Requests.Count} req x {Shape.OutputTokens} tok";
        log.WriteLine($"  {name,-34} {size,-24} median {t.MedianMs,10:F2} ms  {tokens / seconds,12:N0} tok/s  {result.EventsProcessed / seconds,12:N0} ev/s  routing {figures["routing_share_of_last_run"]:P0}  ok {figures["succeeded_fraction"]:P0}  wait {figures["mean_wait_ms"]:F0} ms");
        return new BenchRow("twin", name, size, t.MedianMs, t.MinMs, t.SamplesMs.Count, figures,
            tokens / seconds > 1_000_000 ? "target > 1e6 tok/s: met" : "target > 1e6 tok/s: NOT met");
    }
}
