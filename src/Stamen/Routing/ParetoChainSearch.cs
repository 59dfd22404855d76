using System.Collections.Immutable;
using Stamen.Optimization.Nsga2;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Routing;

/// <summary>
/// The latency / free-capacity trade-off of one request's chain (reference section 2): NSGA-II
/// over <see cref="ChainTradeoffProblem"/> with uniform crossover and random-reset mutation
/// (1 / L per gene), crossover probability 0.9. The front returned is the final population's
/// first front, one point per distinct chain, without points another one Pareto-dominates (which
/// only happens when no chain fits and the front is every least-violating chain), by latency ascending.
/// </summary>
public sealed class ParetoChainSearch
{
    private readonly BlockPlacement _placement;
    private readonly int[][] _holders;
    private readonly double[] _decodeMsPerBlock;

    public ParetoChainSearch(SwarmSpec swarm, BlockPlacement placement, TradeoffSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        _placement = RouterArguments.Check(swarm, placement);
        Settings = settings ?? TradeoffSettings.Default;
        new Nsga2Options(Settings.PopulationSize, Settings.Generations).Validate();
        _holders = [.. Enumerable.Range(0, placement.NumBlocks).Select(b => placement.ServersHolding(b).Order().ToArray())];
        _decodeMsPerBlock = [.. swarm.Servers.Select(s => s.Times.DecodeMsPerBlock)];
    }

    public TradeoffSettings Settings { get; }

    /// <summary>The front for <paramref name="query"/>, seeded by one draw from its stream; null when a block has no usable server.</summary>
    public IReadOnlyList<TradeoffPoint>? Front(RoutingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Front(query, query.Random.Next());
    }

    /// <summary>The front for <paramref name="query"/> with an explicit NSGA-II seed (the query's stream is not read).</summary>
    public IReadOnlyList<TradeoffPoint>? Front(RoutingQuery query, int seed)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (ChainTradeoffProblem.Create(query, _placement, _holders, _decodeMsPerBlock) is not { } problem) return null;
        var operators = Nsga2Operators.IntegerCoded(problem.Bounds);
        var result = new Nsga2<ImmutableArray<int>>(problem, operators,
            new Nsga2Options(Settings.PopulationSize, Settings.Generations, seed)).Run();
        var points = result.FirstFront.Select(m => problem.Decode(m.Genome)).DistinctBy(p => p.Route.ToString()).ToList();
        // When no chain fits, the first front is every chain with the least violation (constrained
        // domination compares only violations there); keep its Pareto-optimal part.
        return [.. points
            .Where(p => !points.Any(q => Dominates(q, p)))
            .OrderBy(p => p.PerTokenLatencyMs)
            .ThenByDescending(p => p.BottleneckFreeSessions)
            .ThenBy(p => p.Route.ToString(), StringComparer.Ordinal)];
    }

    private static bool Dominates(TradeoffPoint a, TradeoffPoint b) =>
        a.PerTokenLatencyMs <= b.PerTokenLatencyMs && a.BottleneckFreeSessions >= b.BottleneckFreeSessions
        && (a.PerTokenLatencyMs < b.PerTokenLatencyMs || a.BottleneckFreeSessions > b.BottleneckFreeSessions);
}
