using Stamen.Routing;
using Stamen.Simulation.Swarm;

namespace Stamen.Experiments;

/// <summary>One route of the front as people read it.</summary>
/// <param name="PerTokenLatencyMs">Sum over hops of RTT(c, j) + tau_j k.</param>
/// <param name="BottleneckFreeSessions">Least free sessions over the hops (not rounded down).</param>
/// <param name="Servers">Server names in hop order.</param>
/// <param name="Blocks">Each hop's blocks, e.g. "[0,14) [14,70)".</param>
public sealed record ParetoPointRow(double PerTokenLatencyMs, double BottleneckFreeSessions, int Hops, IReadOnlyList<string> Servers, string Blocks, bool Fits);

/// <summary>
/// The latency / free-capacity Pareto front of one client's typical request through the empty
/// swarm of a plan, with the knee point and the weighted choice (indices into <see cref="Front"/>).
/// </summary>
public sealed record ParetoReport(
    string Algorithm,
    string Placement,
    int Run,
    string Client,
    int PromptTokens,
    int OutputTokens,
    IReadOnlyList<ParetoPointRow> Front,
    int Knee,
    int Weighted,
    double Weight)
{
    /// <summary>
    /// Runs the chain search for <paramref name="client"/>'s typical request at time 0 on an empty
    /// <see cref="SwarmState"/>. The NSGA-II seed is the first draw of <c>new Random(run seed)</c>.
    /// </summary>
    public static ParetoReport From(PlannedRun planned, int client, double weight, TradeoffSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var swarm = planned.Run.Swarm;
        var placement = planned.Plan.Placement;
        var typical = planned.Run.Typical;
        var query = new RoutingQuery(client, typical, 0, new SwarmState(swarm, placement), new Random(planned.Run.Seed));
        var front = new ParetoChainSearch(swarm, placement, settings).Front(query)
            ?? throw new StamenInputException("(plan)", "placement", $"{planned.Algorithm.Name}'s placement leaves a block without a server",
                "use an algorithm whose placement covers the model");
        var rows = front.Select(p => new ParetoPointRow(p.PerTokenLatencyMs, p.BottleneckFreeSessions, p.Route.Hops.Count,
            [.. p.Route.Hops.Select(h => swarm.Servers[h.Server].Name)],
            string.Join(' ', p.Route.Hops.Select(h => $"[{h.StartBlock},{h.EndBlock})")), p.Fits)).ToList();
        return new ParetoReport(planned.Algorithm.Name, planned.Algorithm.Parts.Placement.ToString(), planned.Run.Run, swarm.Clients[client].Name,
            typical.PromptTokens, typical.OutputTokens, rows, TradeoffChoice.Knee(front), TradeoffChoice.Weighted(front, weight), weight);
    }
}
