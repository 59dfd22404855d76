using Stamen.Simulation;
using Stamen.Simulation.Metrics;

namespace Stamen.Split;

/// <summary>A request type of the server twin: its placement (by one method) and Poisson arrival rate.</summary>
public sealed record SplitTraffic(string Name, SplitPlan Plan, SplitProblem Problem, double RatePerSec);

/// <summary>What the server saw under one method's placements.</summary>
/// <param name="Utilisation">Busy GPU time / (GPUs x makespan).</param>
/// <param name="ThroughputPerSec">Requests completed per second of makespan.</param>
/// <param name="CapacityPerSec">Requests per second the server could carry with this mix and these placements:
/// GPUs / the mix's mean server work per request.</param>
/// <param name="SlaViolationFraction">Requests whose end-to-end latency (queueing included) exceeded their type's SLA.</param>
public sealed record SplitServerMetrics(
    string Method,
    int Requests,
    double Utilisation,
    double ThroughputPerSec,
    double CapacityPerSec,
    double MeanServerWorkMs,
    double MeanWaitMs,
    double P95WaitMs,
    double MeanLatencyMs,
    double P95LatencyMs,
    double SlaViolationFraction);

/// <summary>
/// One server (a number of identical GPUs sharing a FIFO queue) receiving a mix of request types, each request
/// run as its type's placement says: client layers and transfers take time but no server, each run of server
/// layers is a job on the next free GPU. Arrivals are Poisson per type from a seed, and the same for every method,
/// so methods are compared on the same requests.
/// </summary>
public static class SplitServerTwin
{
    private enum Kind { Local, Server }

    private readonly record struct Segment(Kind Kind, double Ms);

    private readonly record struct Arrival(int Type, double AtMs);

    public static SplitServerMetrics Run(string method, IReadOnlyList<SplitTraffic> traffic, int serverGpus, double durationSec, int seed)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        ArgumentOutOfRangeException.ThrowIfLessThan(serverGpus, 1);
        var segments = traffic.Select(t => Segments(t.Problem, t.Plan)).ToArray();
        var arrivals = Arrivals(traffic, durationSec, seed);
        // Events: a request reaching segment i (Done = false), or its server job on segment i finishing (Done = true).
        var queue = new EventQueue<(int Request, int Segment, bool Done)>();
        var waiting = new Queue<(int Request, int Segment, double SinceMs)>();
        var freeGpus = serverGpus;
        var busyMs = 0.0;
        var waits = new List<double>();
        var latencies = new double[arrivals.Count];
        var violations = 0;
        var endMs = 0.0;
        for (var r = 0; r < arrivals.Count; r++) queue.Enqueue((r, 0, false), arrivals[r].AtMs, 1);

        while (queue.TryDequeue(out var ev, out var key))
        {
            var now = key.TimeMs;
            if (ev.Done)
            {
                freeGpus++;
                if (waiting.TryDequeue(out var next)) Start(next.Request, next.Segment, next.SinceMs, now);
                Reach(ev.Request, ev.Segment + 1, now);
            }
            else Reach(ev.Request, ev.Segment, now);
        }

        var makespanMs = Math.Max(endMs - (arrivals.Count > 0 ? arrivals[0].AtMs : 0), 1e-9);
        var totalRate = traffic.Sum(t => t.RatePerSec);
        var meanWork = totalRate > 0 ? traffic.Sum(t => t.RatePerSec * t.Plan.ServerWorkMs) / totalRate : 0;
        var sortedWaits = waits.Order().ToArray();
        var sortedLatencies = latencies.Order().ToArray();
        return new SplitServerMetrics(method, arrivals.Count, busyMs / (serverGpus * makespanMs), arrivals.Count * 1000.0 / makespanMs,
            meanWork > 0 ? serverGpus * 1000.0 / meanWork : double.PositiveInfinity, meanWork,
            sortedWaits.Length > 0 ? sortedWaits.Average() : 0, sortedWaits.Length > 0 ? Percentiles.OfSorted(sortedWaits, 0.95) : 0,
            sortedLatencies.Length > 0 ? sortedLatencies.Average() : 0, sortedLatencies.Length > 0 ? Percentiles.OfSorted(sortedLatencies, 0.95) : 0,
            arrivals.Count > 0 ? (double)violations / arrivals.Count : 0);

        // Local segments (client layers, transfers) pass time with no contention; a server segment queues for a GPU.
        void Reach(int request, int index, double now)
        {
            var plan = segments[arrivals[request].Type];
            if (index < plan.Length && plan[index].Kind == Kind.Local)
            {
                while (index < plan.Length && plan[index].Kind == Kind.Local) now += plan[index++].Ms;
                if (index < plan.Length)
                {
                    // Meet the server at the time the request gets there, in order with everyone else.
                    queue.Enqueue((request, index, false), now, 1);
                    return;
                }
            }
            if (index >= plan.Length)
            {
                Finish(request, now);
                return;
            }
            if (freeGpus > 0) Start(request, index, now, now);
            else waiting.Enqueue((request, index, now));
        }

        void Start(int request, int index, double sinceMs, double now)
        {
            freeGpus--;
            waits.Add(now - sinceMs);
            var ms = segments[arrivals[request].Type][index].Ms;
            busyMs += ms;
            queue.Enqueue((request, index, true), now + ms, 0);
        }

        void Finish(int request, double now)
        {
            var latency = now - arrivals[request].AtMs;
            latencies[request] = latency;
            if (latency > traffic[arrivals[request].Type].Problem.SlaMs + 1e-9) violations++;
            endMs = Math.Max(endMs, now);
        }
    }

    private static Segment[] Segments(SplitProblem problem, SplitPlan plan)
    {
        var list = new List<Segment>();
        var previousOnClient = true;
        for (var i = 0; i < problem.LayerCount; i++)
        {
            var c = plan.OnClient[i];
            if (previousOnClient && !c) list.Add(new Segment(Kind.Local, i == 0 ? problem.InputUplinkMs : problem.UplinkMs));
            if (!previousOnClient && c) list.Add(new Segment(Kind.Local, problem.DownlinkMs));
            var kind = c ? Kind.Local : Kind.Server;
            var ms = c ? problem.Layers[i].ClientMs : problem.Layers[i].ServerMs;
            // Consecutive layers on one side are one segment (a server run is one GPU job).
            if (list.Count > 0 && list[^1].Kind == kind) list[^1] = list[^1] with { Ms = list[^1].Ms + ms };
            else list.Add(new Segment(kind, ms));
            previousOnClient = c;
        }
        if (!previousOnClient) list.Add(new Segment(Kind.Local, problem.FinalDownlinkMs));
        return [.. list];
    }

    private static List<Arrival> Arrivals(IReadOnlyList<SplitTraffic> traffic, double durationSec, int seed)
    {
        var all = new List<Arrival>();
        for (var k = 0; k < traffic.Count; k++)
        {
            var rate = traffic[k].RatePerSec;
            if (!(rate > 0)) continue;
            var rng = new Random(SeedStreams.Derive(SeedStreams.Derive(seed, SeedStreams.Workload), k));
            for (var t = -Math.Log(1 - rng.NextDouble()) / rate * 1000; t <= durationSec * 1000; t += -Math.Log(1 - rng.NextDouble()) / rate * 1000)
                all.Add(new Arrival(k, t));
        }
        all.Sort((a, b) => a.AtMs != b.AtMs ? a.AtMs.CompareTo(b.AtMs) : a.Type.CompareTo(b.Type));
        return all;
    }
}
