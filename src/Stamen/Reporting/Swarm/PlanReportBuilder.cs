using Stamen.Experiments;
using Stamen.Scenarios;
using static Stamen.Reporting.Swarm.SwarmCharts;

namespace Stamen.Reporting.Swarm;

/// <summary>
/// The report of `stamen plan`: the console's server and route tables, the placement strip, and each client's route on the
/// map. Planning wall time is left out so the same input gives the same report.
/// </summary>
public static class PlanReportBuilder
{
    public static Report Build(ScenarioResolver resolver, PlannedRun planned, PlanReport plan, int seed, string command)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(plan);
        var servers = new ReportTable(
            Invariant($"{plan.Algorithm}: placement {plan.Placement}, routing {plan.Routing} (run {plan.Run}, sized for l_in {plan.PromptTokens}, l_max {plan.OutputTokens})"),
            ["server", "gpu", "node", "blocks", "count", "memory GB", "weights GB", "cache GB", "sessions"],
            [.. plan.Servers.Select(s => (IReadOnlyList<string>)
            [
                s.Server, s.Gpu, s.Node ?? "-", s.Blocks == 0 ? "idle" : Invariant($"[{s.StartBlock}, {s.EndBlock})"), Invariant($"{s.Blocks}"),
                Invariant($"{s.MemoryGb:0.00}"), Invariant($"{s.WeightsGb:0.00}"), Invariant($"{s.CachePoolGb:0.00}") + (s.CachePerBlock ? " /block" : ""),
                Invariant($"{s.SessionCapacity}"),
            ])]);
        var routes = new ReportTable("Route of each client's typical request through the empty swarm",
            ["client", "servers", "blocks", "first token s", "s/token after", "mean s/token"],
            [.. plan.Routes.Select(r => (IReadOnlyList<string>)
            [
                r.Client, string.Join(" -> ", r.Servers), r.Blocks, Invariant($"{r.FirstTokenS:0.000}"), Invariant($"{r.PerTokenS:0.000}"), Invariant($"{r.AverageSPerToken:0.000}"),
            ])]);
        var swarm = planned.Run.Swarm;
        var serverIndex = swarm.Servers.Select((s, j) => (s.Name, j)).ToDictionary(x => x.Name, x => x.j, StringComparer.Ordinal);
        var sample = plan.Routes.Select((r, c) => (r, c)).Where(x => x.r.Servers.Count > 0)
            .Select(x => new SampleRoute(x.r.Client, x.c, [.. x.r.Servers.Select(n => serverIndex[n])])).ToList();
        var (map, mapNote) = Map(resolver.Topology, swarm, sample, Invariant($"Each client's route through the empty swarm, run {plan.Run}"));
        var figures = plan.Figures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Invariant($"{f.Key} = {f.Value:0.###}")).ToList();
        var sections = new List<ReportSection>
        {
            new("Placement", figures.Count > 0 ? "Planner: " + string.Join(", ", figures) : null, [servers],
                [PlacementStrip(planned, Invariant($"Placement of {plan.Algorithm}, run {plan.Run}"))]),
            new("Routes", mapNote, [routes], map is null ? [] : [map]),
        };
        return new Report("swarm", Invariant($"Stamen plan: {plan.Algorithm} on {resolver.Definition.Name}"), command,
            [.. Summary(resolver, planned.Run, 1, seed), new("Algorithm", plan.Algorithm)], sections);
    }
}
