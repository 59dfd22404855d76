using System.Globalization;
using Stamen.Optimization.Milp;
using Stamen.Optimization.SwarmMilp;
using Stamen.Plans;

namespace Stamen.Placement;

/// <summary>Settings of <see cref="MilpPlanner"/>.</summary>
public sealed record MilpPlannerOptions
{
    public static MilpPlannerOptions Default { get; } = new();

    /// <summary>Wall-time limit of one solve; past it the best incumbent is used and its gap reported.</summary>
    public double TimeLimitSeconds { get; init; } = 20;

    /// <summary>
    /// Refuse models with more link binaries than this (request groups x servers^2): far beyond it CBC
    /// finds no incumbent in any useful time, and a clear refusal beats a long wait.
    /// </summary>
    public int MaxLinkVariables { get; init; } = 2_000;

    /// <summary>Keep a base planner's placement and optimise only the routes (the "optimized routing" ablation).</summary>
    public IPlacementPlanner? FixedPlacementFrom { get; init; }
}

/// <summary>
/// Exact joint placement and routing by MILP (reference section 1, item 7), for small instances.
/// The number of concurrent sessions R is CG-BP's (sized from the load); they are split evenly over
/// the clients, and the sessions of one client share one route (as offline CG-BPRR routes them),
/// which keeps the model small; the formulation itself supports one route per session. If R
/// sessions cannot fit, R is halved until they do. The routes are published as the placement's
/// chains for the <c>planned-routes</c> router. A solve cut by the time limit uses the incumbent and
/// reports its gap; no incumbent at all is an error, never a silent answer.
/// </summary>
public sealed class MilpPlanner(MilpPlannerOptions? options = null, IMilpSolver? solver = null) : IPlacementPlanner
{
    public MilpPlannerOptions Options { get; } = options ?? MilpPlannerOptions.Default;

    public PlacementPlan Plan(PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var swarm = context.Swarm;
        var sc = context.TypicalSessionCacheBytesPerBlock();
        var cgbp = new CgBpPlanner().Plan(context);
        var basePlan = Options.FixedPlacementFrom?.Plan(context);
        var formulation = new LinkSwarmFormulation(solver ?? new CbcMilpSolver());
        var milpOptions = new MilpOptions { TimeLimitSeconds = Options.TimeLimitSeconds, Seed = context.Seed };

        var links = (long)Math.Min(swarm.ClientCount, (int)cgbp.Figures["sessions_R"]) * swarm.ServerCount * swarm.ServerCount;
        if (links > Options.MaxLinkVariables)
            throw new StamenInputException("(scenario)", "algorithms",
                string.Create(CultureInfo.InvariantCulture, $"the MILP would need {links} link variables ({swarm.ServerCount} servers, {swarm.ClientCount} clients), more than its limit of {Options.MaxLinkVariables}"),
                "use the MILP on small instances (a few servers and clients), or remove it from this scenario's algorithms");
        var sessions = (int)cgbp.Figures["sessions_R"];
        while (true)
        {
            var instance = new SwarmMilpInstance(swarm, sc, Groups(swarm.ClientCount, sessions),
                basePlan?.Placement.Spans, basePlan is null ? null : CacheRoom(basePlan.Placement));
            var solution = formulation.Solve(instance, milpOptions);
            switch (solution.Status)
            {
                case MilpStatus.Optimal or MilpStatus.Feasible:
                    return ToPlan(context, basePlan, solution, sessions);
                case MilpStatus.Infeasible when sessions > 1:
                    sessions = Math.Max(1, sessions / 2);
                    continue;
                case MilpStatus.Infeasible:
                    throw new StamenInputException("(scenario)", "servers", "the MILP finds no placement and routing for even one session",
                        "add servers or memory, or choose a smaller model");
                default:
                    throw new StamenInputException("(scenario)", "algorithms",
                        string.Create(CultureInfo.InvariantCulture, $"the MILP found no solution within {Options.TimeLimitSeconds} s ({solution.Variables} variables, {solution.Constraints} constraints): the instance is too large"),
                        "use the MILP on small instances (a few servers and clients), or compare heuristics only");
            }
        }
    }

    private static List<RequestGroup> Groups(int clients, int sessions) =>
        Enumerable.Range(0, clients)
            .Select(c => new RequestGroup(c, sessions / clients + (c < sessions % clients ? 1 : 0), 1))
            .Where(g => g.Count > 0)
            .ToList();

    /// <summary>Cache room of a fixed placement: the whole pool (per-block pools count once per block held).</summary>
    private static List<double> CacheRoom(BlockPlacement placement) =>
        placement.Caches.Select((c, j) => c.PerBlock ? c.PoolBytes * placement.Spans[j].Count : c.PoolBytes).ToList();

    private static PlacementPlan ToPlan(PlanningContext context, PlacementPlan? basePlan, SwarmMilpSolution solution, int sessions)
    {
        var swarm = context.Swarm;
        var spans = basePlan?.Placement.Spans ?? solution.Spans;
        var caches = basePlan?.Placement.Caches
            ?? spans.Select((s, j) => new CacheBudget(s.IsEmpty ? 0 : swarm.Servers[j].MemoryBytes - swarm.Model.BlockBytes * s.Count, PerBlock: false)).ToList();
        // R sizes the plan; in use the routes are followed as far as memory allows, as offline CG-BPRR does.
        var chains = solution.Routes.Select(r => new ComposedChain(r, ComposedChain.UnlimitedSlots)).ToList();
        var figures = new Dictionary<string, double>(basePlan?.Figures ?? new Dictionary<string, double>())
        {
            ["milp_sessions_R"] = sessions,
            ["milp_objective_ms"] = solution.ObjectiveMs,
            ["milp_bound_ms"] = solution.BestBoundMs,
            ["milp_gap"] = solution.Gap,
            ["milp_optimal"] = solution.Status == MilpStatus.Optimal ? 1 : 0,
            ["milp_variables"] = solution.Variables,
        };
        return new PlacementPlan(new BlockPlacement(swarm.Model.NumBlocks, spans, caches) { Chains = chains }, figures)
        {
            Timings = new Dictionary<string, double> { ["milp_solve_ms"] = solution.SolveTimeMs },
        };
    }
}
