using Stamen.Optimization.Milp;
using Stamen.Plans;

namespace Stamen.Optimization.SwarmMilp;

/// <summary>
/// Exact joint block placement and routing, block-level (same problem and optima as
/// <see cref="LinkSwarmFormulation"/>, no big-M and no products, so its relaxation is tight enough to
/// prove 20-server instances). All variables are binary:
/// <list type="bullet">
/// <item>h[j,b]: server j holds block b; s[j,b]: j's span starts at b. One start per server
/// (sum_b s[j,b] &lt;= 1), a held block is the start or follows a held one (h[j,b] &lt;= h[j,b-1] + s[j,b]),
/// so each server holds one contiguous span; at most the server's block cap;</item>
/// <item>x[g,j,b]: group g runs block b on j (x &lt;= h), every block on exactly one server;</item>
/// <item>a route leaves a server only at the end of its span: x[g,j,b] - x[g,j,b+1] &lt;= 1 - h[j,b+1]
/// (as in the link-level model, a route may enter a span anywhere);</item>
/// <item>u[g,j,b] &gt;= x[g,j,b] - x[g,j,b-1]: g enters j at b, paying RTT(c_g, j) once;</item>
/// <item>memory: s_m sum_b h[j,b] + s_c sum_g Count_g sum_b x[g,j,b] &lt;= M_j (or a fixed placement's cache room), in
/// whole bytes: block and cache sizes rounded up, capacities down (our choice: bytes are whole, and the rows
/// are then exact for CP-SAT's integer arithmetic; a plan this model accepts is never over memory);</item>
/// <item>objective: sum_g Count_g Weight_g (sum_{j,b} RTT(c_g,j) u[g,j,b] + tau_j x[g,j,b]).</item>
/// </list>
/// With a fixed placement, h is fixed by its bounds and only the routes are free.
/// </summary>
public sealed class BlockSwarmFormulation(IMilpSolver solver) : ISwarmMilpFormulation
{
    private const double Gb = 1e9;

    private readonly IMilpSolver _solver = solver ?? throw new ArgumentNullException(nameof(solver));

    public string Name => "block";

    public SwarmMilpSolution Solve(SwarmMilpInstance instance, MilpOptions options)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        var built = Build(instance);
        // The best start that is a point of this model: a heuristic's plan the search can only improve on.
        var start = instance.Starts
            .Select(s => (s.Name, Point: built.PointOf(s.Spans, s.Routes)))
            .Where(s => s.Point is not null)
            .Select(s => (s.Name, s.Point, Objective: built.Model.EvaluateObjective(s.Point!)))
            .OrderBy(s => s.Objective)
            .FirstOrDefault();
        var result = _solver.Solve(built.Model, start.Point is null ? options : options with { StartValues = start.Point });
        var started = start.Point is null ? ((string, double)?)null : (start.Name, start.Objective);
        return SwarmMilpSolution.Of(result, built.Model, built.Read) with { Start = started };
    }

    internal static BuiltBlockModel Build(SwarmMilpInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var swarm = instance.Swarm;
        var model = swarm.Model;
        int n = swarm.ServerCount, l = model.NumBlocks, groups = instance.Groups.Count;
        var milp = new MilpModel();
        var held = new MilpVariable[n, l];
        var spanStarts = new MilpVariable?[n, l];
        for (var j = 0; j < n; j++)
        {
            if (instance.FixedSpans?[j] is { } span)
            {
                for (var b = 0; b < l; b++)
                {
                    var on = span.Contains(b) ? 1 : 0;
                    held[j, b] = milp.AddInteger($"h_{j}_{b}", on, on);
                }
                continue;
            }
            var starts = new MilpVariable[l];
            for (var b = 0; b < l; b++)
            {
                held[j, b] = milp.AddBinary($"h_{j}_{b}");
                starts[b] = spanStarts[j, b] = milp.AddBinary($"s_{j}_{b}");
                milp.AddConstraint($"startheld_{j}_{b}", [1.0 * starts[b], -1.0 * held[j, b]], ConstraintSense.LessOrEqual, 0);
                milp.AddConstraint($"contig_{j}_{b}",
                    b == 0 ? [1.0 * held[j, b], -1.0 * starts[b]] : [1.0 * held[j, b], -1.0 * held[j, b - 1], -1.0 * starts[b]],
                    ConstraintSense.LessOrEqual, 0);
            }
            milp.AddConstraint($"onestart_{j}", starts.Select(v => 1.0 * v), ConstraintSense.LessOrEqual, 1);
            var cap = Math.Min(swarm.Servers[j].MaxBlocks, l);
            if (cap < l) milp.AddConstraint($"cap_{j}", Row(held, j, l), ConstraintSense.LessOrEqual, cap);
        }

        var runs = new MilpVariable[groups, n, l];
        var enters = new MilpVariable[groups, n, l];
        var cacheTerms = Enumerable.Range(0, n).Select(_ => new List<MilpTerm>()).ToArray();
        var objective = new List<MilpTerm>();
        for (var g = 0; g < groups; g++)
        {
            var group = instance.Groups[g];
            var weight = group.Count * group.Weight;
            for (var j = 0; j < n; j++)
                for (var b = 0; b < l; b++)
                {
                    var x = runs[g, j, b] = milp.AddBinary($"x{g}_{j}_{b}");
                    milp.AddConstraint($"onheld{g}_{j}_{b}", [1.0 * x, -1.0 * held[j, b]], ConstraintSense.LessOrEqual, 0);
                }
            for (var b = 0; b < l; b++)
                milp.AddConstraint($"cover{g}_{b}", Enumerable.Range(0, n).Select(j => 1.0 * runs[g, j, b]), ConstraintSense.Equal, 1);
            var allEntries = new List<MilpTerm>();
            for (var j = 0; j < n; j++)
            {
                var rtt = swarm.Delays.PerTokenRttMs(group.Client, j);
                var tau = swarm.Servers[j].Times.DecodeMsPerBlock;
                var entries = new List<MilpTerm>(l);
                for (var b = 0; b < l; b++)
                {
                    var x = runs[g, j, b];
                    if (b + 1 < l)
                        milp.AddConstraint($"leave{g}_{j}_{b}", [1.0 * x, -1.0 * runs[g, j, b + 1], 1.0 * held[j, b + 1]], ConstraintSense.LessOrEqual, 1);
                    var enter = enters[g, j, b] = milp.AddBinary($"u{g}_{j}_{b}");
                    milp.AddConstraint($"enter{g}_{j}_{b}", b == 0 ? [1.0 * x, -1.0 * enter] : [1.0 * x, -1.0 * runs[g, j, b - 1], -1.0 * enter],
                        ConstraintSense.LessOrEqual, 0);
                    objective.Add((weight * rtt) * enter);
                    objective.Add((weight * tau) * x);
                    cacheTerms[j].Add((Math.Ceiling(group.Count * instance.SessionCacheBytesPerBlock) / Gb) * x);
                    entries.Add(1.0 * enter);
                }
                // A valid cut that makes the relaxation count hops: one visit to j runs at most the blocks j can
                // hold with this group's cache, so blocks run on j <= that many per entry. Without it the relaxation
                // spreads a route thinly over every server and pays one round trip in all.
                var perVisit = BlocksPerVisit(instance, j, group.Count);
                milp.AddConstraint($"visits{g}_{j}",
                    Enumerable.Range(0, l).Select(b => 1.0 * runs[g, j, b]).Concat(entries.Select(t => -perVisit * t.Variable)),
                    ConstraintSense.LessOrEqual, 0);
                allEntries.AddRange(entries);
            }
            // ... and so a route needs at least as many hops as the fewest servers whose visits cover the model.
            var fewest = FewestHops(instance, group.Count);
            if (fewest > 1) milp.AddConstraint($"hops{g}", allEntries, ConstraintSense.GreaterOrEqual, fewest);
        }

        for (var j = 0; j < n; j++)
        {
            // Memory in GB keeps the coefficients near the others' scale (CBC is sensitive to 1e9 spreads).
            if (instance.FixedSpans is null)
                milp.AddConstraint($"mem_{j}", Row(held, j, l).Select(t => (Math.Ceiling(model.BlockBytes) / Gb) * t.Variable).Concat(cacheTerms[j]),
                    ConstraintSense.LessOrEqual, Math.Floor(swarm.Servers[j].MemoryBytes) / Gb);
            else
            {
                var room = instance.CacheBytesAvailable?[j] ?? swarm.Servers[j].MemoryBytes - model.BlockBytes * instance.FixedSpans[j].Count;
                milp.AddConstraint($"mem_{j}", cacheTerms[j], ConstraintSense.LessOrEqual, Math.Floor(room) / Gb);
            }
        }
        milp.Minimize(objective);
        return new BuiltBlockModel(milp, held, spanStarts, runs, enters, l);
    }

    /// <summary>
    /// Most blocks one visit of a group of <paramref name="count"/> sessions can run on server <paramref name="j"/>:
    /// its block cap, and what its memory holds with the group's cache on every block (a fixed placement: its span).
    /// </summary>
    private static int BlocksPerVisit(SwarmMilpInstance instance, int j, int count)
    {
        var swarm = instance.Swarm;
        var l = swarm.Model.NumBlocks;
        if (instance.FixedSpans?[j] is { } span) return span.Count;
        var perBlock = Math.Ceiling(swarm.Model.BlockBytes) + Math.Ceiling(count * instance.SessionCacheBytesPerBlock);
        var byMemory = (int)Math.Min(l, Math.Floor(Math.Floor(swarm.Servers[j].MemoryBytes) / perBlock));
        return Math.Max(0, Math.Min(Math.Min(swarm.Servers[j].MaxBlocks, l), byMemory));
    }

    /// <summary>The fewest visits whose blocks per visit add up to the model (largest first); 1 when none can (the model is then infeasible anyway).</summary>
    private static int FewestHops(SwarmMilpInstance instance, int count)
    {
        var l = instance.Swarm.Model.NumBlocks;
        var covered = 0;
        var hops = 0;
        foreach (var blocks in Enumerable.Range(0, instance.Swarm.ServerCount).Select(j => BlocksPerVisit(instance, j, count)).OrderDescending())
        {
            if (covered >= l) break;
            covered += blocks;
            hops++;
        }
        return covered >= l ? Math.Max(1, hops) : 1;
    }

    private static IEnumerable<MilpTerm> Row(MilpVariable[,] held, int j, int l) => Enumerable.Range(0, l).Select(b => 1.0 * held[j, b]);

    /// <summary>The model and the variables a solution is read from (and a start written into).</summary>
    /// <param name="Starts">Span-start variables (null where the placement is fixed).</param>
    internal sealed record BuiltBlockModel(MilpModel Model, MilpVariable[,] Held, MilpVariable?[,] Starts, MilpVariable[,,] Runs, MilpVariable[,,] Enters, int Blocks)
    {
        /// <summary>Spans and one route per group from a point of the model.</summary>
        public (IReadOnlyList<BlockSpan> Spans, IReadOnlyList<Route> Routes) Read(IReadOnlyList<double> values)
        {
            int n = Held.GetLength(0), groups = Runs.GetLength(0);
            var spans = new List<BlockSpan>(n);
            for (var j = 0; j < n; j++)
            {
                var blocks = Enumerable.Range(0, Blocks).Where(b => values[Held[j, b].Index] > 0.5).ToList();
                spans.Add(blocks.Count == 0 ? BlockSpan.None : new BlockSpan(blocks[0], blocks.Count));
            }
            var routes = new List<Route>(groups);
            for (var g = 0; g < groups; g++)
            {
                var hops = new List<RouteHop>();
                for (var b = 0; b < Blocks; b++)
                {
                    var server = Enumerable.Range(0, n).Single(j => values[Runs[g, j, b].Index] > 0.5);
                    if (hops.Count > 0 && hops[^1].Server == server) hops[^1] = hops[^1] with { EndBlock = b + 1 };
                    else hops.Add(new RouteHop(server, b, b + 1));
                }
                routes.Add(new Route(hops));
            }
            return (spans, routes);
        }

        /// <summary>
        /// The model's point for a plan (spans and one route per group), for a MIP start: null when the plan is
        /// not one the model allows (a route entering or leaving a span where the model forbids it), so a
        /// heuristic's plan that does not fit is skipped rather than handed to the solver.
        /// </summary>
        public double[]? PointOf(IReadOnlyList<BlockSpan> spans, IReadOnlyList<Route> routes)
        {
            var values = new double[Model.Variables.Count];
            int n = Held.GetLength(0), groups = Runs.GetLength(0);
            if (spans.Count != n || routes.Count != groups) return null;
            for (var j = 0; j < n; j++)
            {
                for (var b = spans[j].Start; b < spans[j].End; b++) values[Held[j, b].Index] = 1;
                if (!spans[j].IsEmpty && Starts[j, spans[j].Start] is { } start) values[start.Index] = 1;
            }
            for (var g = 0; g < groups; g++)
            {
                var previous = -1;
                foreach (var hop in routes[g].Hops)
                    for (var b = hop.StartBlock; b < hop.EndBlock; b++)
                    {
                        values[Runs[g, hop.Server, b].Index] = 1;
                        if (hop.Server != previous) values[Enters[g, hop.Server, b].Index] = 1;
                        previous = hop.Server;
                    }
            }
            return Model.MaxViolation(values) <= 1e-6 ? values : null;
        }
    }
}
