using System.Globalization;
using Stamen.Experiments;
using Stamen.Scenarios;
using static Stamen.Reporting.Swarm.SwarmCharts;

namespace Stamen.Reporting.Swarm;

/// <summary>
/// The report of `stamen pareto`: the latency / free-capacity front with the knee and the weighted choice as their own
/// series, the front as the console's table, the plan's placement, and the two chosen routes on the map.
/// </summary>
public static class ParetoReportBuilder
{
    public static Report Build(ScenarioResolver resolver, PlannedRun planned, ParetoReport pareto, int seed, string command)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(pareto);
        var front = pareto.Front;
        var weightText = pareto.Weight.ToString("0.##", CultureInfo.InvariantCulture);
        var heading = Invariant($"{pareto.Algorithm}: latency / free-capacity front for client {pareto.Client} (run {pareto.Run}, l_in {pareto.PromptTokens}, l_max {pareto.OutputTokens}, empty swarm)");
        var rows = front.Select((p, i) => (IReadOnlyList<string>)
        [
            i.ToString(CultureInfo.InvariantCulture),
            p.PerTokenLatencyMs.ToString("0.0", CultureInfo.InvariantCulture),
            p.BottleneckFreeSessions.ToString("0.00", CultureInfo.InvariantCulture),
            p.Hops.ToString(CultureInfo.InvariantCulture),
            string.Join(" -> ", p.Servers),
            p.Blocks,
            string.Join(", ", Marks(pareto, i, weightText)),
        ]).ToList();
        var table = new ReportTable(heading, ["#", "ms/token", "free sessions", "hops", "servers", "blocks", "choice"], rows);

        var swarm = planned.Run.Swarm;
        var client = swarm.Clients.ToList().FindIndex(c => c.Name == pareto.Client);
        var serverIndex = swarm.Servers.Select((s, j) => (s.Name, j)).ToDictionary(x => x.Name, x => x.j, StringComparer.Ordinal);
        SampleRoute RouteOf(string name, int i) => new(name, client, [.. front[i].Servers.Select(n => serverIndex[n])]);
        List<SampleRoute> routes = front.Count == 0 ? [] : [RouteOf(Invariant($"knee (#{pareto.Knee})"), pareto.Knee), RouteOf(Invariant($"weight {weightText} (#{pareto.Weighted})"), pareto.Weighted)];
        var (map, mapNote) = Map(resolver.Topology, swarm, routes, Invariant($"The knee and the weighted choice for client {pareto.Client}, run {pareto.Run}"));

        var sections = new List<ReportSection>
        {
            new("Pareto front", "ms/token: sum over hops of RTT + tau k; free sessions: the chain's bottleneck, free cache / the session's need there.",
                [table], [FrontChart(pareto, weightText)]),
            new(Invariant($"Placement, run {pareto.Run}"), null, [], [PlacementStrip(planned, Invariant($"Placement of {pareto.Algorithm}, run {pareto.Run}"))]),
            new(Invariant($"Map, run {pareto.Run}"), mapNote, [], map is null ? [] : [map]),
        };
        return new Report("pareto", Invariant($"Stamen pareto: {pareto.Algorithm} on {resolver.Definition.Name}"), command,
            [.. Summary(resolver, planned.Run, 1, seed), new("Algorithm", pareto.Algorithm), new("Client", pareto.Client)], sections);
    }

    private static IEnumerable<string> Marks(ParetoReport pareto, int i, string weightText)
    {
        if (i == pareto.Knee) yield return "knee";
        if (i == pareto.Weighted) yield return "weight " + weightText;
    }

    /// <summary>The front joined in latency order with every route labelled, then the knee and the weighted choice as single points.</summary>
    private static ScatterChart FrontChart(ParetoReport pareto, string weightText)
    {
        var front = pareto.Front;
        var x = new Axis("per-token latency", "ms/token");
        var y = new Axis("bottleneck free sessions", "sessions", Min: 0);
        var title = Invariant($"Latency against free capacity for client {pareto.Client}, run {pareto.Run}");
        if (front.Count == 0) return new ScatterChart(title, "The search found no route.", x, y, []);
        var order = Enumerable.Range(0, front.Count).OrderBy(i => front[i].PerTokenLatencyMs).ThenBy(i => i).ToList();
        PointSeries Single(string name, int i) => new(name, [front[i].PerTokenLatencyMs], [front[i].BottleneckFreeSessions], Labels: [Invariant($"#{i}")]);
        var series = new List<PointSeries>
        {
            new("front", [.. order.Select(i => front[i].PerTokenLatencyMs)], [.. order.Select(i => front[i].BottleneckFreeSessions)], Connect: true,
                Labels: [.. order.Select(i => Invariant($"#{i}"))]),
            Single("knee", pareto.Knee),
            Single("weight " + weightText, pareto.Weighted),
        };
        var (fast, roomy) = (front[order[0]], front[order[^1]]);
        var (knee, chosen) = (front[pareto.Knee], front[pareto.Weighted]);
        var alt = front.Count == 1
            ? Invariant($"One route dominates every other: {fast.PerTokenLatencyMs:0.0} ms/token with {fast.BottleneckFreeSessions:0.##} free sessions.")
            : Invariant($"{front.Count} routes trade latency for capacity, from {fast.PerTokenLatencyMs:0.0} ms/token with {fast.BottleneckFreeSessions:0.##} free sessions to {roomy.PerTokenLatencyMs:0.0} ms/token with {roomy.BottleneckFreeSessions:0.##}; the knee (#{pareto.Knee}) gives {knee.PerTokenLatencyMs:0.0} ms/token and {knee.BottleneckFreeSessions:0.##} free sessions, the weighted choice (w = {weightText}, #{pareto.Weighted}) {chosen.PerTokenLatencyMs:0.0} ms/token and {chosen.BottleneckFreeSessions:0.##}.");
        return new ScatterChart(title, alt, x, y, series);
    }
}
