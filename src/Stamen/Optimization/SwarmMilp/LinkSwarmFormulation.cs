using Stamen.Optimization.Milp;
using Stamen.Placement;
using Stamen.Plans;
using Stamen.Routing;

namespace Stamen.Optimization.SwarmMilp;

/// <summary>
/// Exact joint block placement and routing (reference section 1, item 7), link-level (the first
/// formulation; <see cref="BlockSwarmFormulation"/> gives the same optima and proves far larger instances):
/// <list type="bullet">
/// <item>integers a_j (first block) and e_j = a_j + m_j (end, exclusive), 0 &lt;= a_j &lt;= e_j &lt;= L,
/// m_j &lt;= the server's block cap;</item>
/// <item>per request group g, binaries f^g on links source -> j, i -> j, j -> sink, with flow
/// conservation (one chain per group); a used link needs a_j = 0 (from the source),
/// a_j &lt;= e_i &lt; e_j (between servers: the next server holds the block after i's span and goes
/// further, so ends strictly grow and no cycle can form), e_j = L (into the sink), each by big-M;</item>
/// <item>blocks processed k^g_j = e_j y^g_j - sum_i e_i f^g_ij, where y^g_j = inflow of j; the
/// products of an integer end and a binary are linearised exactly (z &lt;= L x, z &lt;= e, z &gt;= e - L(1 - x));</item>
/// <item>memory: s_m m_j + s_c sum_g Count_g k^g_j &lt;= M_j (or the fixed placement's cache room);</item>
/// <item>objective: sum_g Count_g Weight_g sum_j (RTT(c_g, j) y^g_j + tau_j k^g_j), the groups'
/// per-token time.</item>
/// </list>
/// NP-hard (reduction from Partition): solve small instances, or take the incumbent and its gap.
/// </summary>
public sealed class LinkSwarmFormulation(IMilpSolver solver) : ISwarmMilpFormulation
{
    private readonly IMilpSolver _solver = solver ?? throw new ArgumentNullException(nameof(solver));

    public string Name => "link";

    public SwarmMilpSolution Solve(SwarmMilpInstance instance, MilpOptions options)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        var built = Build(instance);
        var result = _solver.Solve(built.Model, options);
        return SwarmMilpSolution.Of(result, built.Model, values =>
        {
            var spans = built.Starts.Select((a, j) =>
            {
                var start = (int)Math.Round(values[a.Index]);
                var count = (int)Math.Round(values[built.Ends[j].Index]) - start;
                return count > 0 ? new BlockSpan(start, count) : BlockSpan.None;
            }).ToList();
            return (spans, built.Links.Select(links => ExtractRoute(links, values, spans, instance.Swarm.Model.NumBlocks)).ToList());
        });
    }

    /// <summary>The model itself, for inspection and tests.</summary>
    internal static BuiltModel Build(SwarmMilpInstance instance)
    {
        var swarm = instance.Swarm;
        var model = swarm.Model;
        int n = swarm.ServerCount, l = model.NumBlocks;
        var milp = new MilpModel();

        var a = new MilpVariable[n];
        var e = new MilpVariable[n];
        for (var j = 0; j < n; j++)
        {
            var fixedSpan = instance.FixedSpans?[j];
            var cap = Math.Min(swarm.Servers[j].MaxBlocks, l);
            if (fixedSpan is { } span)
            {
                a[j] = milp.AddInteger($"a_{j}", span.Start, span.Start);
                e[j] = milp.AddInteger($"e_{j}", span.End, span.End);
            }
            else
            {
                a[j] = milp.AddInteger($"a_{j}", 0, l);
                e[j] = milp.AddInteger($"e_{j}", 0, l);
                milp.AddConstraint($"order_{j}", [1.0 * e[j], -1.0 * a[j]], ConstraintSense.GreaterOrEqual, 0);
                milp.AddConstraint($"cap_{j}", [1.0 * e[j], -1.0 * a[j]], ConstraintSense.LessOrEqual, cap);
            }
        }

        var links = new List<GroupLinks>();
        var cacheTerms = Enumerable.Range(0, n).Select(_ => new List<MilpTerm>()).ToArray();
        var objective = new List<MilpTerm>();
        double bigL = l, bigL1 = l + 1;
        for (var g = 0; g < instance.Groups.Count; g++)
        {
            var group = instance.Groups[g];
            var fromSource = new MilpVariable[n];
            var toSink = new MilpVariable[n];
            var between = new MilpVariable?[n, n];
            for (var j = 0; j < n; j++)
            {
                fromSource[j] = milp.AddBinary($"f{g}_s_{j}");
                toSink[j] = milp.AddBinary($"f{g}_{j}_t");
                // Entering j from the source needs a_j = 0; leaving to the sink needs e_j = L.
                milp.AddConstraint($"src{g}_{j}", [1.0 * a[j], bigL * fromSource[j]], ConstraintSense.LessOrEqual, bigL);
                // ... and a server entered from the source must hold a block (no empty first hop).
                milp.AddConstraint($"src{g}_{j}_held", [1.0 * fromSource[j], -1.0 * e[j]], ConstraintSense.LessOrEqual, 0);
                milp.AddConstraint($"snk{g}_{j}", [-1.0 * e[j], bigL * toSink[j]], ConstraintSense.LessOrEqual, 0);
                for (var i = 0; i < n; i++)
                {
                    if (i == j) continue;
                    var f = between[i, j] = milp.AddBinary($"f{g}_{i}_{j}");
                    // a_j <= e_i and e_i + 1 <= e_j when the link is used.
                    milp.AddConstraint($"lnk{g}_{i}_{j}_a", [1.0 * a[j], -1.0 * e[i], bigL * f], ConstraintSense.LessOrEqual, bigL);
                    milp.AddConstraint($"lnk{g}_{i}_{j}_e", [1.0 * e[i], -1.0 * e[j], bigL1 * f], ConstraintSense.LessOrEqual, bigL1 - 1);
                }
            }
            milp.AddConstraint($"start{g}", fromSource.Select(v => 1.0 * v), ConstraintSense.Equal, 1);
            milp.AddConstraint($"end{g}", toSink.Select(v => 1.0 * v), ConstraintSense.Equal, 1);

            for (var j = 0; j < n; j++)
            {
                // y_j = inflow = outflow: j is on the chain at most once.
                var inflow = new List<MilpTerm> { 1.0 * fromSource[j] };
                var outflow = new List<MilpTerm> { 1.0 * toSink[j] };
                for (var i = 0; i < n; i++)
                {
                    if (i == j) continue;
                    inflow.Add(1.0 * between[i, j]!);
                    outflow.Add(1.0 * between[j, i]!);
                }
                milp.AddConstraint($"flow{g}_{j}", inflow.Concat(outflow.Select(t => -1.0 * t.Variable)), ConstraintSense.Equal, 0);
                milp.AddConstraint($"once{g}_{j}", inflow, ConstraintSense.LessOrEqual, 1);

                // k_j = e_j y_j - sum_i e_i f_ij, with both products linearised.
                var kTerms = new List<MilpTerm> { 1.0 * Product(milp, $"z{g}_{j}", e[j], inflow, bigL) };
                for (var i = 0; i < n; i++)
                    if (i != j)
                        kTerms.Add(-1.0 * Product(milp, $"w{g}_{i}_{j}", e[i], [1.0 * between[i, j]!], bigL));
                var k = milp.AddContinuous($"k{g}_{j}", 0, bigL);
                milp.AddConstraint($"k{g}_{j}", kTerms.Append(-1.0 * k), ConstraintSense.Equal, 0);

                cacheTerms[j].Add((group.Count * instance.SessionCacheBytesPerBlock) * k);
                var weight = group.Count * group.Weight;
                var rtt = swarm.Delays.PerTokenRttMs(group.Client, j);
                objective.AddRange(inflow.Select(t => (weight * rtt) * t.Variable));
                objective.Add((weight * swarm.Servers[j].Times.DecodeMsPerBlock) * k);
            }
            links.Add(new GroupLinks(fromSource, toSink, between));
        }

        for (var j = 0; j < n; j++)
        {
            // Memory in GB keeps the coefficients near the others' scale (CBC is sensitive to 1e9 spreads).
            const double Gb = 1e9;
            var terms = cacheTerms[j].Select(t => (t.Coefficient / Gb) * t.Variable).ToList();
            if (instance.FixedSpans is null)
            {
                terms.Add((model.BlockBytes / Gb) * e[j]);
                terms.Add((-model.BlockBytes / Gb) * a[j]);
                milp.AddConstraint($"mem_{j}", terms, ConstraintSense.LessOrEqual, swarm.Servers[j].MemoryBytes / Gb);
            }
            else
            {
                var room = instance.CacheBytesAvailable?[j] ?? swarm.Servers[j].MemoryBytes - model.BlockBytes * instance.FixedSpans[j].Count;
                milp.AddConstraint($"mem_{j}", terms, ConstraintSense.LessOrEqual, room / Gb);
            }
        }
        milp.Minimize(objective);
        return new BuiltModel(milp, a, e, links);
    }

    /// <summary>z = x * sum(binaries) for an integer x in [0, bound] and a 0/1 sum, exactly.</summary>
    private static MilpVariable Product(MilpModel milp, string name, MilpVariable x, IReadOnlyList<MilpTerm> binarySum, double bound)
    {
        var z = milp.AddContinuous(name, 0, bound);
        milp.AddConstraint($"{name}_x", [1.0 * z, -1.0 * x], ConstraintSense.LessOrEqual, 0);
        milp.AddConstraint($"{name}_b", binarySum.Select(t => (-bound * t.Coefficient) * t.Variable).Append(1.0 * z), ConstraintSense.LessOrEqual, 0);
        milp.AddConstraint($"{name}_lo", binarySum.Select(t => (-bound * t.Coefficient) * t.Variable).Append(1.0 * z).Append(-1.0 * x), ConstraintSense.GreaterOrEqual, -bound);
        return z;
    }

    private static Route ExtractRoute(GroupLinks links, IReadOnlyList<double> values, List<BlockSpan> spans, int numBlocks)
    {
        var n = spans.Count;
        bool On(MilpVariable v) => values[v.Index] > 0.5;
        var current = Enumerable.Range(0, n).First(j => On(links.FromSource[j]));
        var hops = new List<RouteHop>();
        var start = 0;
        while (true)
        {
            hops.Add(new RouteHop(current, start, spans[current].End));
            start = spans[current].End;
            if (On(links.ToSink[current])) break;
            var from = current;
            current = Enumerable.Range(0, n).First(j => j != from && On(links.Between[from, j]!));
        }
        if (start != numBlocks) throw new InvalidOperationException($"The MILP's route ends at block {start} of {numBlocks}.");
        return new Route(hops);
    }

    internal sealed record GroupLinks(MilpVariable[] FromSource, MilpVariable[] ToSink, MilpVariable?[,] Between);

    internal sealed record BuiltModel(MilpModel Model, MilpVariable[] Starts, MilpVariable[] Ends, IReadOnlyList<GroupLinks> Links);
}
