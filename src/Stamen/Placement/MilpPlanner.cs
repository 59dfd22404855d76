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
    /// Refuse link-level models with more link binaries than this (request groups x servers^2): far beyond it
    /// the solvers find no incumbent in any useful time, and a clear refusal beats a long wait.
    /// </summary>
    public int MaxLinkVariables { get; init; } = 2_000;

    /// <summary>
    /// Refuse block-level models with more variables than this (servers x blocks x (2 + 2 x request groups)): a clear
    /// refusal beats minutes of building and a search that cannot start.
    /// </summary>
    public int MaxVariables { get; init; } = 200_000;

    /// <summary>Formulation by name: <c>block</c> (the default: tight, proves 20-server instances) or <c>link</c>.</summary>
    public string Formulation { get; init; } = "block";

    /// <summary>Solver by name (<see cref="MilpSolverCatalog"/>): <c>cp-sat</c> by default.</summary>
    public string Solver { get; init; } = "cp-sat";

    /// <summary>Start the search from the best heuristic plan that fits the model (CG-BP's and PETALS' placements, shortest-path routes).</summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>Solver threads; 1 keeps a solve reproducible, more are faster but may return another optimum.</summary>
    public int Threads { get; init; } = 1;

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
        if (solver is null && Options.Formulation == "link" && Options.Solver == "cp-sat")
            throw new StamenInputException("(scenario)", "algorithms (milp placement)", "the link formulation has continuous variables, which cp-sat cannot solve",
                "use formulation: block, or solver: scip, cbc or ortools-cbc");
        var chosen = solver ?? MilpSolverCatalog.Create(Options.Solver);
        ISwarmMilpFormulation formulation = Options.Formulation == "link" ? new LinkSwarmFormulation(chosen) : new BlockSwarmFormulation(chosen);
        var milpOptions = new MilpOptions { TimeLimitSeconds = Options.TimeLimitSeconds, Seed = context.Seed, Threads = Options.Threads };

        var links = (long)Math.Min(swarm.ClientCount, (int)cgbp.Figures["sessions_R"]) * swarm.ServerCount * swarm.ServerCount;
        var blockVariables = (long)swarm.ServerCount * swarm.Model.NumBlocks * (2 + 2L * Math.Min(swarm.ClientCount, (int)cgbp.Figures["sessions_R"]));
        if (formulation is BlockSwarmFormulation && blockVariables > Options.MaxVariables)
            throw new StamenInputException("(scenario)", "algorithms",
                string.Create(CultureInfo.InvariantCulture, $"the MILP would need about {blockVariables} variables ({swarm.ServerCount} servers, {swarm.Model.NumBlocks} blocks, {swarm.ClientCount} clients), more than its limit of {Options.MaxVariables}"),
                "raise the milp placement's max_variables, use fewer servers or clients, or compare heuristics only");
        if (formulation is LinkSwarmFormulation && links > Options.MaxLinkVariables)
            throw new StamenInputException("(scenario)", "algorithms",
                string.Create(CultureInfo.InvariantCulture, $"the MILP would need {links} link variables ({swarm.ServerCount} servers, {swarm.ClientCount} clients), more than its limit of {Options.MaxLinkVariables}"),
                "use the MILP on small instances (a few servers and clients), or remove it from this scenario's algorithms");
        var sessions = (int)cgbp.Figures["sessions_R"];
        while (true)
        {
            var groups = Groups(swarm.ClientCount, sessions);
            var instance = new SwarmMilpInstance(swarm, sc, groups, basePlan?.Placement.Spans, basePlan is null ? null : CacheRoom(basePlan.Placement))
            {
                Starts = Options.WarmStart ? Starts(context, groups, basePlan is null ? [("cg-bp", cgbp), ("petals", Petals(context))] : [("fixed placement", basePlan)]) : [],
            };
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

    /// <summary>Heuristic plans with each group routed by the offline per-token shortest path, as MIP starts.</summary>
    private static List<SwarmMilpStart> Starts(PlanningContext context, IReadOnlyList<RequestGroup> groups, IEnumerable<(string Name, PlacementPlan? Plan)> plans) =>
        [.. plans.Where(p => p.Plan is not null)
            .Select(p => SwarmMilpStart.ShortestPaths(p.Name, context.Swarm, p.Plan!.Placement, groups, context.Typical))
            .OfType<SwarmMilpStart>()];

    /// <summary>PETALS' placement when it covers the model, else null (its memory rule can leave a block uncovered).</summary>
    private static PlacementPlan? Petals(PlanningContext context)
    {
        try
        {
            return new PetalsPlacementPlanner().Plan(context);
        }
        catch (StamenInputException)
        {
            return null;
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
            ["milp_time_limited"] = solution.Status == MilpStatus.Feasible ? 1 : 0,
            ["milp_variables"] = solution.Variables,
        };
        if (solution.Start is { } start) figures["milp_start_objective_ms"] = start.ObjectiveMs;
        return new PlacementPlan(new BlockPlacement(swarm.Model.NumBlocks, spans, caches) { Chains = chains }, figures)
        {
            Timings = new Dictionary<string, double> { ["milp_solve_ms"] = solution.SolveTimeMs },
        };
    }
}
