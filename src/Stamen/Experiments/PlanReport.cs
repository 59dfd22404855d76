using Stamen.Routing;

namespace Stamen.Experiments;

/// <summary>One server's part of a plan.</summary>
/// <param name="SessionCapacity">Sessions of the typical request that fit when each uses all the server's blocks.</param>
public sealed record ServerPlanRow(string Server, string Gpu, string? Node, int StartBlock, int EndBlock, int Blocks,
    double MemoryGb, double WeightsGb, double CachePoolGb, bool CachePerBlock, int SessionCapacity);

/// <summary>The route a client's typical request takes through an empty swarm, and its modelled times.</summary>
public sealed record ClientRouteRow(string Client, IReadOnlyList<string> Servers, string Blocks, double FirstTokenS, double PerTokenS, double AverageSPerToken);

/// <summary>A plan as people read it: per-server blocks and capacity, planner figures, routes.</summary>
public sealed record PlanReport(
    string Algorithm,
    string Placement,
    string Routing,
    int Run,
    int Seed,
    int PromptTokens,
    int OutputTokens,
    IReadOnlyDictionary<string, double> Figures,
    IReadOnlyList<ServerPlanRow> Servers,
    IReadOnlyList<ClientRouteRow> Routes)
{
    /// <summary>
    /// The plan's static max flow (tokens/s): the ceiling when every server serves as many typical sessions as its
    /// cache holds, each of its tokens taking k tau there (the swarm model has no batching and no link bandwidth),
    /// requests entering a server anywhere in its span. Our reading of Helix's ceiling in the swarm model.
    /// </summary>
    public double StaticMaxFlowTokensPerSec { get; init; }

    /// <summary>Wall-clock figures (planning time, a solver's time): the only part that differs between two runs with the same seed.</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();

    public static PlanReport From(PlannedRun planned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        // The routes a client's typical request takes through the idle swarm: a static view, no twin state.
        var emptyState = new StaticSwarmState(planned.Run.Swarm, planned.Plan.Placement);
        var swarm = planned.Run.Swarm;
        var typical = planned.Run.Typical;
        var servers = ServerRows(planned);
        var performance = new Performance.SwarmPerformanceModel(swarm);
        var random = new Random(0);
        var routes = swarm.Clients.Select((c, ci) =>
        {
            var route = planned.Router.Choose(new RoutingQuery(ci, typical, 0, emptyState, random));
            if (route is null) return new ClientRouteRow(c.Name, [], "no route", double.NaN, double.NaN, double.NaN);
            var t = performance.Time(route, ci, typical);
            return new ClientRouteRow(c.Name, route.Hops.Select(h => swarm.Servers[h.Server].Name).ToList(),
                string.Join(" ", route.Hops.Select(h => $"[{h.StartBlock},{h.EndBlock})")),
                t.FirstTokenMs / 1000, t.PerTokenMs / 1000, t.AverageMsPerToken / 1000);
        }).ToList();
        return new PlanReport(planned.Algorithm.Name, planned.Algorithm.Parts.Placement.ToString(), planned.Algorithm.Parts.Routing.ToString(),
            planned.Run.Run, planned.Run.Seed, typical.PromptTokens, typical.OutputTokens, planned.Plan.Figures, servers, routes)
        {
            StaticMaxFlowTokensPerSec = StaticMaxFlow(swarm, planned.Plan.Placement, servers),
            Timings = new Dictionary<string, double>(planned.Plan.Timings) { [MetricNames.PlanningMs] = planned.PlanningMs },
        };
    }

    /// <summary>See <see cref="StaticMaxFlowTokensPerSec"/>.</summary>
    public static double StaticMaxFlow(Swarm.SwarmSpec swarm, Plans.BlockPlacement placement, IReadOnlyList<ServerPlanRow> servers)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(servers);
        return Helix.PlacementMaxFlow.WithoutLinkLimits(placement.Spans, placement.NumBlocks,
            j => servers[j].Blocks == 0 ? 0 : servers[j].SessionCapacity * 1000.0 / (servers[j].Blocks * swarm.Servers[j].Times.DecodeMsPerBlock));
    }

    /// <summary>Each server's blocks, memory split and session capacity for the typical request, in server order (no routing).</summary>
    public static IReadOnlyList<ServerPlanRow> ServerRows(PlannedRun planned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var swarm = planned.Run.Swarm;
        var placement = planned.Plan.Placement;
        var typical = planned.Run.Typical;
        var model = swarm.Model;
        var sc = model.SessionCacheBytesPerBlock(typical.PromptTokens, typical.OutputTokens);
        return swarm.Servers.Select((s, j) =>
        {
            var span = placement.Spans[j];
            var cache = placement.Caches[j];
            return new ServerPlanRow(s.Name, s.GpuName, NodeName(planned, s.NodeIndex), span.Start, span.End, span.Count,
                s.MemoryBytes / 1e9, span.Count * model.BlockBytes / 1e9, cache.PoolBytes / 1e9, cache.PerBlock,
                span.IsEmpty ? 0 : cache.SessionCapacity(span.Count, sc));
        }).ToList();
    }

    private static string? NodeName(PlannedRun planned, int node) => node < 0 ? null : planned.Run.NodeNames?[node];
}
