using System.Globalization;
using Stamen.Experiments;
using Stamen.Network;
using Stamen.Scenarios;
using Stamen.Swarm;

namespace Stamen.Reporting.Swarm;

/// <summary>A route to draw on the map: a client, then servers in hop order (indices into the swarm).</summary>
public sealed record SampleRoute(string Name, int Client, IReadOnlyList<int> Servers);

/// <summary>Charts and facts every swarm report shares: the scenario summary, a placement strip, the map.</summary>
public static class SwarmCharts
{
    /// <summary>Scenario facts for the top of a report; servers are counted by GPU kind in <paramref name="run"/>.</summary>
    public static IReadOnlyList<ReportFact> Summary(ScenarioResolver resolver, ResolvedRun run, int runs, int seed)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(run);
        var swarm = run.Swarm;
        var model = resolver.Model;
        var gpus = swarm.Servers.GroupBy(s => s.GpuName).Select(g => Invariant($"{g.Count()} x {g.Key}"));
        return
        [
            new("Scenario", resolver.Definition.Name),
            new("Model", Invariant($"{model.Name}: {model.NumBlocks} blocks of {model.BlockBytes / 1e9:0.###} GB")),
            new("Servers", Invariant($"{swarm.ServerCount} ({string.Join(", ", gpus)}; run {run.Run})")),
            new("Clients", Invariant($"{swarm.ClientCount} ({string.Join(", ", swarm.Clients.Select(c => c.Name))})")),
            new("Network", resolver.Topology is { } t ? Invariant($"{t.Name} ({t.Count} nodes)") : "measured delays per server"),
            new("Workload", Invariant($"{run.Requests.Count} requests, planning rate {run.ArrivalRatePerSec:0.###}/s ({run.RateSource}); typical prompt {run.Typical.PromptTokens} tokens, output {run.Typical.OutputTokens} tokens")),
            new("Runs", runs.ToString(CultureInfo.InvariantCulture)),
            new("Seed", seed.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>The plan's placement strip: one row per server with its span, GPU kind and session capacity.</summary>
    public static PlacementChart PlacementStrip(PlannedRun planned, string title)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var rows = PlanReport.ServerRows(planned).Select(r => new PlacementRow(r.Server, r.Gpu, r.StartBlock, r.EndBlock, r.SessionCapacity)).ToList();
        var blocks = planned.Plan.Placement.NumBlocks;
        var holders = new int[blocks];
        foreach (var r in rows)
            for (var b = r.Start; b < r.End; b++) holders[b]++;
        var fewest = holders.Length == 0 ? 0 : holders.Min();
        var first = Array.IndexOf(holders, fewest);
        var last = first;
        while (last + 1 < blocks && holders[last + 1] == fewest) last++;
        var used = rows.Count(r => r.End > r.Start);
        var alt = Invariant($"{planned.Algorithm.Name} puts {blocks} blocks on {used} of {rows.Count} servers; ") + (fewest == 0
            ? Invariant($"blocks [{first},{last + 1}) have no server, so no request can be served.")
            : Invariant($"the fewest servers holding a block is {fewest} (blocks [{first},{last + 1})), the chain's bottleneck; the most sessions one server fits is {rows.Max(r => r.SessionCapacity)}."));
        return new PlacementChart(title, alt, blocks, rows);
    }

    /// <summary>
    /// The topology with the swarm's servers and clients at their nodes and one route per entry of <paramref name="routes"/>,
    /// or a one-line reason when there is nothing to place (delays given per server, or a topology too large to place).
    /// Map nodes: bare topology nodes first, then one per server, then one per client, so a route's indices are
    /// client, then servers.
    /// </summary>
    public static (MapChart? Chart, string? Note) Map(Topology? topology, SwarmSpec swarm, IReadOnlyList<SampleRoute> routes, string title)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        ArgumentNullException.ThrowIfNull(routes);
        if (topology is null || swarm.Servers.Any(s => s.NodeIndex < 0) || swarm.Clients.Any(c => c.NodeIndex < 0))
            return (null, "No map: this scenario gives delays per server rather than a network with places.");
        var positions = NodePositions.Of(topology);
        if (positions is null)
            return (null, Invariant($"No map: the network has {topology.Count} nodes without coordinates, too many to place from round trips (at most {NodePositions.MaxDerivedNodes})."));
        var occupied = swarm.Servers.Select(s => s.NodeIndex).Concat(swarm.Clients.Select(c => c.NodeIndex)).ToHashSet();
        var nodes = new List<MapNode>();
        MapNode At(string name, int node, MapRole role) => new(name, positions.LatitudeDeg[node], positions.LongitudeDeg[node], role);
        for (var i = 0; i < topology.Count; i++)
            if (!occupied.Contains(i)) nodes.Add(At(topology.Nodes[i].Name, i, MapRole.Node));
        var firstServer = nodes.Count;
        nodes.AddRange(swarm.Servers.Select(s => At(Invariant($"{s.Name} ({topology.Nodes[s.NodeIndex].Name}, {s.GpuName})"), s.NodeIndex, MapRole.Server)));
        var firstClient = nodes.Count;
        nodes.AddRange(swarm.Clients.Select(c => At(Invariant($"{c.Name} ({topology.Nodes[c.NodeIndex].Name})"), c.NodeIndex, MapRole.Client)));
        var mapRoutes = routes.Select(r => new MapRoute(r.Name, [firstClient + r.Client, .. r.Servers.Select(j => firstServer + j)])).ToList();
        var where = positions.FromRoundTrips ? "Positions from round trips, not geography. " : "";
        var described = routes.Count == 0
            ? "No request was served, so no route is drawn"
            : string.Join("; ", routes.Select(r => Invariant($"{r.Name} goes from {swarm.Clients[r.Client].Name} through {r.Servers.Count} server(s) ({string.Join(" -> ", r.Servers.Select(j => swarm.Servers[j].Name))}), {RouteRttMs(swarm, r):0} ms of round trips per token")));
        var fullTitle = positions.FromRoundTrips ? title + " (positions from round trips, not geography)" : title;
        return (new MapChart(fullTitle, Invariant($"{where}{topology.Count} nodes, {swarm.ServerCount} servers, {swarm.ClientCount} client(s). {described}."), nodes, mapRoutes), null);
    }

    /// <summary>Sum of client-to-server round trips over a route's hops: the network part of one token's time.</summary>
    private static double RouteRttMs(SwarmSpec swarm, SampleRoute route) =>
        route.Servers.Sum(j => swarm.Delays.PerTokenRttMs(route.Client, j));

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
