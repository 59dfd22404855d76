using Stamen.Options;
using System.Globalization;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Optimization.Milp;
using Stamen.Optimization.SwarmMilp;
using Stamen.Performance;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Experiments;

/// <summary>One heuristic on one small instance, priced by the MILP's per-token objective.</summary>
/// <param name="Algorithm">Placement catalog name.</param>
/// <param name="ObjectiveMs">Sum over the R sessions of per-token time on the offline per-token shortest paths (ms).</param>
/// <param name="RoutesFitMemory">Those routes fit the MILP's memory rule: s_m m_j + s_c x sessions x blocks processed &lt;= M_j.</param>
/// <param name="OwnPoolHolds">They also fit the plan's own cache pools (per-block pools for PETALS, the shared pool otherwise).</param>
/// <param name="CanCarrySessions">Some routing of the R sessions (each routed alone) fits the MILP's memory rule on this placement.</param>
/// <param name="Planned">The planner placed the model at all (false: its memory rule leaves a block uncovered; every other field says no).</param>
public sealed record MilpGapEntry(string Algorithm, double ObjectiveMs, bool RoutesFitMemory, bool OwnPoolHolds, bool CanCarrySessions, bool Planned = true)
{
    /// <summary>A planner that cannot place the model under its own memory rule.</summary>
    public static MilpGapEntry NoPlan(string algorithm) => new(algorithm, double.NaN, false, false, false, Planned: false);

    /// <summary>Relative gap to the MILP optimum in %, or NaN when the routes do not fit memory.</summary>
    public double GapPercent(double optimumMs) => RoutesFitMemory ? 100 * (ObjectiveMs - optimumMs) / optimumMs : double.NaN;
}

/// <summary>One small instance: its size, the R sessions, the MILP's answer and every heuristic's value.</summary>
/// <param name="Index">Instance number (0-based).</param>
/// <param name="Servers">Servers.</param>
/// <param name="Clients">Clients.</param>
/// <param name="Blocks">Model blocks L.</param>
/// <param name="Sessions">R, from CG-BP's sizing, split evenly over the clients.</param>
/// <param name="ArrivalRatePerSec">The load R was sized for.</param>
/// <param name="Milp">The exact solve.</param>
/// <param name="Heuristics">One entry per scaling catalog planner, in catalog order.</param>
public sealed record MilpGapInstance(int Index, int Servers, int Clients, int Blocks, int Sessions, double ArrivalRatePerSec,
    SwarmMilpSolution Milp, IReadOnlyList<MilpGapEntry> Heuristics)
{
    public bool MilpOptimal => Milp.Status == MilpStatus.Optimal;
}

/// <summary>Summary of one heuristic over all instances.</summary>
/// <param name="Algorithm">Placement catalog name.</param>
/// <param name="Compared">Instances where its routes fit and the MILP found a solution.</param>
/// <param name="MeanGapPercent">Mean gap to the MILP optimum over those (NaN when none).</param>
/// <param name="MaxGapPercent">Largest gap over those (NaN when none).</param>
/// <param name="RoutesOverflow">Instances where its shortest-path routes break the MILP's memory rule (no plan included).</param>
/// <param name="CannotCarry">Instances where no routing at all carries the R sessions on its placement (no plan included).</param>
/// <param name="OwnPoolOverflow">Instances where its routes overflow its own cache pools (no plan included).</param>
/// <param name="NoPlan">Instances where it cannot place the model at all.</param>
public sealed record MilpGapSummary(string Algorithm, int Compared, double MeanGapPercent, double MaxGapPercent,
    int RoutesOverflow, int CannotCarry, int OwnPoolOverflow, int NoPlan);

/// <summary>Fixed instance sizes for the study at scale: every server count with every client count, on a model of <paramref name="Blocks"/> blocks.</summary>
public sealed record MilpGapSizes(IReadOnlyList<int> Servers, IReadOnlyList<int> Clients, int Blocks);

/// <summary>How every instance of a study is solved: the study's seed and time limit, the solver and the formulation (block or link).</summary>
public sealed record MilpGapSetup
{
    public MilpGapSetup(int seed, double timeLimitSeconds, IMilpSolver solver, string formulation)
    {
        ArgumentNullException.ThrowIfNull(solver);
        if (formulation is not ("block" or "link"))
            throw new StamenInputException("(command line)", "--formulation", $"unknown formulation '{formulation}'", "use block or link");
        Formulation = formulation == "link" ? new LinkSwarmFormulation(solver) : new BlockSwarmFormulation(solver);
        MilpOptions = new MilpOptions { TimeLimitSeconds = timeLimitSeconds, RelativeGap = 0, Seed = seed };
    }

    public ISwarmMilpFormulation Formulation { get; }

    public MilpOptions MilpOptions { get; }
}

/// <summary>What the study measured.</summary>
public sealed record MilpGapReport(int Seed, RequestShape Typical, double TimeLimitSeconds, IReadOnlyList<MilpGapInstance> Instances,
    IReadOnlyList<MilpGapSummary> Summaries)
{
    public int MilpOptimalCount => Instances.Count(i => i.MilpOptimal);
}

/// <summary>
/// How far each scaling heuristic's plan is from the exact MILP optimum (issue 3, reference
/// section 1, item 7) on small seeded instances: 3-5 servers mixing A100-like and MIG-like memory
/// and speeds, a BLOOM-like model cut to L in {6, 8, 12} blocks, 1-2 clients. R is CG-BP's sizing
/// for a load drawn so that R lands in 2-10, split evenly over the clients, and the sessions of one
/// client share one route, exactly as <see cref="MilpPlanner"/> models them. Every heuristic is
/// planned on the same context and routed by the offline per-token shortest path
/// (<see cref="HopCostMode.Published"/>), so its value is a point of the MILP's own feasible set
/// whenever its routes fit the MILP's memory rule: the MILP optimum can never exceed it, and a
/// violation is a bug, not a finding.
/// </summary>
public static class MilpGapStudy
{
    public static readonly RequestShape Typical = new(20, 64);
    private static readonly int[] BlockChoices = [6, 8, 12];
    private const double Tolerance = 1e-9;

    /// <summary>The scaling planners the study prices (every catalog entry not limited to small instances).</summary>
    public static IReadOnlyList<CatalogEntry<IPlacementPlanner>> Heuristics => PlacementCatalog.All.Where(e => !e.SmallInstancesOnly && !e.Reproduction).ToList();

    /// <summary>Largest instance count (per size with <see cref="MilpGapSizes"/>): each is an exact solve.</summary>
    public const int MaxInstances = 10_000;

    public static MilpGapReport Run(int instances, int seed, double timeLimitSeconds = 20, IMilpSolver? solver = null,
        IProgress<ExperimentProgress>? progress = null, MilpGapSizes? sizes = null, string formulation = "block", CancellationToken cancellation = default)
    {
        var setup = new MilpGapSetup(seed, timeLimitSeconds, solver ?? MilpSolverCatalog.Create("cp-sat"), formulation);
        var draws = Draws(instances, sizes);
        var seeds = InstanceSeeds(seed, draws.Count);
        var results = new List<MilpGapInstance>();
        progress?.Report(new ExperimentProgress(0, draws.Count));
        for (var i = 0; i < draws.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            results.Add(RunInstance(i, seeds[i], setup, draws[i]));
            progress?.Report(new ExperimentProgress(i + 1, draws.Count));
        }
        return new MilpGapReport(seed, Typical, timeLimitSeconds, results, Summarize(results));
    }

    /// <summary>The size of each instance in study order: <paramref name="instances"/> random small ones, or that many of every size.</summary>
    public static IReadOnlyList<(int Servers, int Clients, int Blocks)?> Draws(int instances, MilpGapSizes? sizes)
    {
        if (instances is < 1 or > MaxInstances)
            throw new StamenInputException("(command line)", "--instances", $"must be in 1..{MaxInstances:N0}", "pass --instances 1 or more");
        return sizes is null ? Enumerable.Repeat<(int, int, int)?>(null, instances).ToList()
            : [.. sizes.Servers.SelectMany(n => sizes.Clients.Select(c => ((int, int, int)?)(n, c, sizes.Blocks))).SelectMany(size => Enumerable.Repeat(size, instances))];
    }

    /// <summary>Instance i's seed: the i-th draw of one generator seeded with the study's seed, so any instance can be solved alone.</summary>
    public static int[] InstanceSeeds(int seed, int count)
    {
        var rng = new Random(seed);
        var seeds = new int[count];
        for (var i = 0; i < count; i++) seeds[i] = rng.Next();
        return seeds;
    }

    /// <summary>Draws instance <paramref name="index"/> from its seed, plans every heuristic, prices it and solves the MILP.</summary>
    public static MilpGapInstance RunInstance(int index, int seed, MilpGapSetup setup, (int Servers, int Clients, int Blocks)? size)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var formulation = setup.Formulation;
        var milpOptions = setup.MilpOptions;
        var rng = new Random(seed);
        var swarm = DrawSwarm(rng, size);
        var context = SizedContext(swarm, rng, seed);
        var sessions = (int)new CgBpPlanner().Plan(context).Figures["sessions_R"];
        var sc = swarm.Model.SessionCacheBytesPerBlock(Typical.PromptTokens, Typical.OutputTokens);
        var groups = Groups(swarm.ClientCount, sessions);

        var entries = new List<MilpGapEntry>();
        var starts = new List<SwarmMilpStart>();
        foreach (var heuristic in Heuristics)
        {
            BlockPlacement placement;
            try
            {
                placement = heuristic.Create().Plan(context).Placement;
            }
            catch (StamenInputException)
            {
                entries.Add(MilpGapEntry.NoPlan(heuristic.Name));
                continue;
            }
            var start = SwarmMilpStart.ShortestPaths(heuristic.Name, swarm, placement, groups, Typical)
                ?? throw new InvalidOperationException($"{heuristic.Name} left a block uncovered on instance {index}");
            var routes = start.Routes.ToList();
            var objective = Objective(swarm, groups, routes);
            var fits = FitsMemoryRule(swarm, sc, placement, groups, routes);
            var canCarry = fits || CanCarry(formulation, milpOptions, swarm, sc, placement, sessions);
            entries.Add(new MilpGapEntry(heuristic.Name, objective, fits, FitsOwnPools(sc, placement, groups, routes), canCarry));
            if (fits) starts.Add(start);
        }
        // The heuristics' plans that fit are points of the model: the best one starts the search.
        var milp = formulation.Solve(new SwarmMilpInstance(swarm, sc, groups) { Starts = starts }, milpOptions);
        foreach (var e in entries.Where(e => e.RoutesFitMemory)) CheckOptimumBelow(milp, e.ObjectiveMs, e.Algorithm, index);
        return new MilpGapInstance(index, swarm.ServerCount, swarm.ClientCount, swarm.Model.NumBlocks, sessions, context.ArrivalRatePerSec, milp, entries);
    }

    /// <summary>A heuristic that fits memory is a feasible MILP point: the optimum (and always the bound) must not exceed it.</summary>
    private static void CheckOptimumBelow(SwarmMilpSolution milp, double heuristicMs, string algorithm, int index)
    {
        var slack = Tolerance * Math.Max(1, Math.Abs(heuristicMs));
        var broken = milp.Status switch
        {
            MilpStatus.Optimal => milp.ObjectiveMs > heuristicMs + slack,
            MilpStatus.Feasible => milp.BestBoundMs > heuristicMs + slack,
            MilpStatus.Infeasible => true,
            _ => false, // stopped without an incumbent: nothing was claimed
        };
        if (broken)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"instance {index}: MILP {milp.Status} objective {milp.ObjectiveMs} ms (bound {milp.BestBoundMs} ms) is above {algorithm}'s feasible {heuristicMs} ms"));
    }

    /// <summary>
    /// 3-5 servers (or the size asked for); each A100-like (40 or 80 GB, decode 2.5-4 ms/block) with probability 0.4, else
    /// MIG-like (5-10 GB, decode 12-20 ms/block); client propagation RTT 2-40 ms plus the
    /// reference's 100 ms per-token overhead. Redrawn until one session fits (the model is covered).
    /// </summary>
    private static SwarmSpec DrawSwarm(Random rng, (int Servers, int Clients, int Blocks)? size)
    {
        while (true)
        {
            var blocks = size?.Blocks ?? BlockChoices[rng.Next(BlockChoices.Length)];
            var model = BloomLike(blocks);
            var servers = new List<ServerSpec>();
            var count = size?.Servers ?? rng.Next(3, 6);
            for (var j = 0; j < count; j++)
            {
                var a100 = rng.NextDouble() < 0.4;
                var memory = a100 ? (rng.Next(2) == 0 ? 40e9 : 80e9) : (5 + 5 * rng.NextDouble()) * 1e9;
                var decode = a100 ? 2.5 + 1.5 * rng.NextDouble() : 12 + 8 * rng.NextDouble();
                var times = a100 ? new BlockTimes(decode, 0.0743, 32.99) : new BlockTimes(decode, 0.1041, 206.35);
                servers.Add(new ServerSpec(a100 ? $"a100-{j}" : $"mig-{j}", a100 ? "a100-like" : "mig-like", -1, memory, times, blocks));
            }
            var clients = size?.Clients ?? rng.Next(1, 3);
            var sc = model.SessionCacheBytesPerBlock(Typical.PromptTokens, Typical.OutputTokens);
            var fits = servers.Sum(s => Math.Min(blocks, (int)Math.Floor(s.MemoryBytes / (model.BlockBytes + sc)))) >= blocks;
            var swarm = Build(model, servers, clients, rng);
            if (fits) return swarm;
        }
    }

    /// <summary>BLOOM-176B's block (NF4 weights, as in the reference) with <paramref name="blocks"/> blocks.</summary>
    private static ModelSpec BloomLike(int blocks) =>
        new("bloom-176b", blocks, 14336, 112, 112, 4 * 14336, 250880, 2_466_437_120, 4.25, 1.01, 2);

    private static SwarmSpec Build(ModelSpec model, List<ServerSpec> servers, int clients, Random rng)
    {
        var n = servers.Count;
        var prop = new double[clients, n];
        var perToken = new double[clients, n];
        var firstBase = new double[clients, n];
        var firstPerPrompt = new double[clients, n];
        for (var c = 0; c < clients; c++)
            for (var j = 0; j < n; j++)
            {
                prop[c, j] = 2 + 38 * rng.NextDouble();
                perToken[c, j] = prop[c, j] + 100;
                firstBase[c, j] = prop[c, j] + 67;
                firstPerPrompt[c, j] = 0.7049;
            }
        var serverRtt = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                serverRtt[i, j] = serverRtt[j, i] = 1 + 40 * rng.NextDouble();
        var clientSpecs = Enumerable.Range(0, clients).Select(c => new ClientSpec($"client-{c}", -1)).ToList();
        return new SwarmSpec(model, servers, clientSpecs, new SwarmDelays(perToken, firstBase, firstPerPrompt, serverRtt, prop));
    }

    /// <summary>
    /// A load for which CG-BP sizes R near a target drawn in 2-10: T1 does not depend on the load, so
    /// lambda = m / T1 with m + sqrt(m) = R makes CG-BP's round(m + sqrt(m)) the target (memory may lower it).
    /// </summary>
    private static PlanningContext SizedContext(SwarmSpec swarm, Random rng, int seed)
    {
        var probe = new PlanningContext(swarm, Typical, 1, 0, seed);
        var t1Ms = new CgBpPlanner().Plan(probe).Figures["t1_ms"];
        var target = rng.Next(2, 11);
        var root = (Math.Sqrt(4.0 * target + 1) - 1) / 2;
        return probe with { ArrivalRatePerSec = root * root * 1000 / t1Ms };
    }

    /// <summary>R split evenly over the clients, one group (one shared route) per client, as <see cref="MilpPlanner"/> does.</summary>
    private static List<RequestGroup> Groups(int clients, int sessions) =>
        Enumerable.Range(0, clients)
            .Select(c => new RequestGroup(c, sessions / clients + (c < sessions % clients ? 1 : 0), 1))
            .Where(g => g.Count > 0)
            .ToList();

    /// <summary>The MILP objective: sum over sessions of per-token time, RTT(c, j) + tau_j k per hop.</summary>
    internal static double Objective(SwarmSpec swarm, List<RequestGroup> groups, List<Route> routes)
    {
        var total = 0.0;
        for (var g = 0; g < groups.Count; g++)
            foreach (var hop in routes[g].Hops)
                total += groups[g].Count * groups[g].Weight *
                    (swarm.Delays.PerTokenRttMs(groups[g].Client, hop.Server) + hop.Blocks * swarm.Servers[hop.Server].Times.DecodeMsPerBlock);
        return total;
    }

    private static double[] CacheBytesUsed(int servers, double sc, List<RequestGroup> groups, List<Route> routes)
    {
        var used = new double[servers];
        for (var g = 0; g < groups.Count; g++)
            foreach (var hop in routes[g].Hops)
                used[hop.Server] += groups[g].Count * sc * hop.Blocks;
        return used;
    }

    private static bool FitsMemoryRule(SwarmSpec swarm, double sc, BlockPlacement placement, List<RequestGroup> groups, List<Route> routes)
    {
        var used = CacheBytesUsed(swarm.ServerCount, sc, groups, routes);
        return Enumerable.Range(0, swarm.ServerCount).All(j =>
            swarm.Model.BlockBytes * placement.Spans[j].Count + used[j] <= swarm.Servers[j].MemoryBytes * (1 + Tolerance));
    }

    /// <summary>The plan's own pools: a per-block pool holds s_c per session through that block; a shared pool the sum.</summary>
    private static bool FitsOwnPools(double sc, BlockPlacement placement, List<RequestGroup> groups, List<Route> routes)
    {
        var used = CacheBytesUsed(placement.ServerCount, sc, groups, routes);
        var sessionsThrough = new int[placement.ServerCount];
        for (var g = 0; g < groups.Count; g++)
            foreach (var hop in routes[g].Hops)
                sessionsThrough[hop.Server] += groups[g].Count;
        return Enumerable.Range(0, placement.ServerCount).All(j =>
        {
            var pool = placement.Caches[j];
            var need = pool.IsSlots ? sessionsThrough[j] * pool.SlotBytes : pool.PerBlock ? sessionsThrough[j] * sc : used[j];
            return need <= pool.PoolBytes * (1 + Tolerance);
        });
    }

    /// <summary>Whether any routing, each session on its own route, carries R sessions on this placement under the MILP's memory rule.</summary>
    private static bool CanCarry(ISwarmMilpFormulation formulation, MilpOptions options, SwarmSpec swarm, double sc, BlockPlacement placement, int sessions)
    {
        var perSession = Groups(swarm.ClientCount, sessions)
            .SelectMany(g => Enumerable.Repeat(new RequestGroup(g.Client, 1, 1), g.Count)).ToList();
        var solution = formulation.Solve(new SwarmMilpInstance(swarm, sc, perSession, placement.Spans), options);
        return solution.Status switch
        {
            MilpStatus.Optimal or MilpStatus.Feasible => true,
            MilpStatus.Infeasible => false,
            _ => throw new InvalidOperationException($"the routing-only MILP stopped without an answer ({solution.Status}); raise the time limit"),
        };
    }

    /// <summary>Each heuristic's summary over <paramref name="instances"/>, in the order of the first instance's entries.</summary>
    public static List<MilpGapSummary> Summarize(IReadOnlyList<MilpGapInstance> instances) =>
        (instances.Count == 0 ? [.. Heuristics.Select(h => h.Name)] : instances[0].Heuristics.Select(e => e.Algorithm)).Select(name =>
        {
            var gaps = instances
                .Where(i => i.Milp.Status is MilpStatus.Optimal or MilpStatus.Feasible)
                .Select(i => (Instance: i, Entry: i.Heuristics.First(e => e.Algorithm == name)))
                .Where(x => x.Entry.RoutesFitMemory)
                .Select(x => x.Entry.GapPercent(x.Instance.Milp.ObjectiveMs))
                .ToList();
            var entries = instances.Select(i => i.Heuristics.First(e => e.Algorithm == name)).ToList();
            return new MilpGapSummary(name, gaps.Count,
                gaps.Count == 0 ? double.NaN : gaps.Average(),
                gaps.Count == 0 ? double.NaN : gaps.Max(),
                entries.Count(e => !e.RoutesFitMemory),
                entries.Count(e => !e.CanCarrySessions),
                entries.Count(e => !e.OwnPoolHolds),
                entries.Count(e => !e.Planned));
        }).ToList();
}
