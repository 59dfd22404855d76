using System.Globalization;
using Stamen.Optimization.Milp;
using Stamen.Plans;

namespace Stamen.Helix;

/// <summary>
/// Helix's max-flow placement problem (choose each machine's span to maximise the static max flow) as a
/// span-indexed MILP, our formulation; Helix's own (docs/helix.md) links start layers and edges by big-M,
/// whose relaxation bounds the flow at tens of times the optimum. Here:
/// <list type="bullet">
/// <item>x[i,a,k] = 1 when machine i holds layers [a, a + k) (k up to what T_i(k) covers), at most one per machine;</item>
/// <item>g[i,j,l] = tokens/s from i to j at layer boundary l (i's span ends at l, j's starts there); from the
/// coordinator only at 0, to it only at L;</item>
/// <item>what enters i at its start l is at most the T_i(k) of the spans starting at l (sum of T_i(k) x over
/// them), what leaves at its end l at most the T_i(k) of the spans ending at l; the two are equal over all l (conservation);</item>
/// <item>a link's flow at boundary l is at most its capacity times "i ends at l" and times "j starts at l", rows
/// written only where the link is narrower than the machines' own throughput (elsewhere the node rows imply them);</item>
/// <item>the total is at most the compute bound sum_i max_k k T_i(k) / L, so a placement that reaches it is proven
/// optimal and the solve stops there.</item>
/// </list>
/// Every bound is a capacity the problem states, no big-M: the relaxation's only slack is fractional spans.
/// Exact, so for small clusters: variables grow as machines x layers x span lengths plus machine pairs x layers.
/// </summary>
public sealed class SpanFlowMilp
{
    private readonly List<(int Node, int Start, int Count, MilpVariable X)> _spans = [];

    private SpanFlowMilp(MilpModel model, double computeBound)
    {
        Model = model;
        ComputeBoundTokensPerSec = computeBound;
    }

    public MilpModel Model { get; }

    /// <summary>sum_i max_k k T_i(k) / L: no placement carries more.</summary>
    public double ComputeBoundTokensPerSec { get; }

    /// <summary>Variables the formulation would need, to refuse instances too large before building them.</summary>
    public static long CountVariables(int nodes, int layers, Func<int, int> mostLayers)
    {
        long spans = 0;
        for (var i = 0; i < nodes; i++)
            for (var k = 1; k <= mostLayers(i); k++) spans += layers - k + 1;
        return spans + (long)nodes * (nodes - 1) * Math.Max(0, layers - 1) + 2L * nodes;
    }

    /// <summary>sum_i max_k k T_i(k) / L.</summary>
    public static double ComputeBound(int nodes, int layers, HelixThroughputs throughputs)
    {
        ArgumentNullException.ThrowIfNull(throughputs);
        double work = 0;
        for (var i = 0; i < nodes; i++)
        {
            double best = 0;
            for (var k = 1; k <= FlowLocalSearch.MostLayers(throughputs, i, layers); k++) best = Math.Max(best, k * throughputs.NodeTokensPerSec(i, k)!.Value);
            work += best;
        }
        return work / layers;
    }

    public static SpanFlowMilp Build(int nodes, int layers, HelixThroughputs throughputs)
    {
        ArgumentNullException.ThrowIfNull(throughputs);
        var most = new int[nodes];
        var peak = new double[nodes];
        for (var i = 0; i < nodes; i++)
        {
            most[i] = FlowLocalSearch.MostLayers(throughputs, i, layers);
            for (var k = 1; k <= most[i]; k++) peak[i] = Math.Max(peak[i], throughputs.NodeTokensPerSec(i, k)!.Value);
        }
        var model = new MilpModel();
        var milp = new SpanFlowMilp(model, ComputeBound(nodes, layers, throughputs));
        var startsAt = new List<MilpTerm>[nodes, layers + 1];
        var endsAt = new List<MilpTerm>[nodes, layers + 1];
        var enterCap = new List<MilpTerm>[nodes, layers + 1];
        var leaveCap = new List<MilpTerm>[nodes, layers + 1];
        for (var i = 0; i < nodes; i++)
        {
            var one = new List<MilpTerm>();
            for (var l = 0; l <= layers; l++) (startsAt[i, l], endsAt[i, l], enterCap[i, l], leaveCap[i, l]) = ([], [], [], []);
            for (var k = 1; k <= most[i]; k++)
            {
                var t = throughputs.NodeTokensPerSec(i, k)!.Value;
                for (var a = 0; a + k <= layers; a++)
                {
                    var x = model.AddBinary(string.Create(CultureInfo.InvariantCulture, $"x_{i}_{a}_{k}"));
                    milp._spans.Add((i, a, k, x));
                    one.Add(1.0 * x);
                    startsAt[i, a].Add(1.0 * x);
                    endsAt[i, a + k].Add(1.0 * x);
                    enterCap[i, a].Add(t * x);
                    leaveCap[i, a + k].Add(t * x);
                }
            }
            if (one.Count > 0) model.AddConstraint($"one_span_{i}", one, ConstraintSense.LessOrEqual, 1);
        }

        var capacity = new Dictionary<(string, string), double>();
        foreach (var (from, to, tokens) in throughputs.Edges) capacity[(from, to)] = tokens;
        double Cap(string from, string to) => capacity.GetValueOrDefault((from, to));
        static string N(int i) => i.ToString(CultureInfo.InvariantCulture);

        var enter = new List<MilpTerm>[nodes, layers + 1];
        var leave = new List<MilpTerm>[nodes, layers + 1];
        for (var i = 0; i < nodes; i++)
            for (var l = 0; l <= layers; l++) (enter[i, l], leave[i, l]) = ([], []);
        var total = new List<MilpTerm>();
        for (var j = 0; j < nodes; j++)
        {
            var c = Math.Min(Cap(HelixCluster.Source, N(j)), peak[j]);
            var s = model.AddContinuous($"src_{j}", 0, c);
            enter[j, 0].Add(1.0 * s);
            total.Add(1.0 * s);
            if (c > 0) model.AddConstraint($"src_start_{j}", [1.0 * s, .. startsAt[j, 0].Select(t => t.Variable.Multiply(-c))], ConstraintSense.LessOrEqual, 0);
            var d = Math.Min(Cap(N(j), HelixCluster.Sink), peak[j]);
            var e = model.AddContinuous($"snk_{j}", 0, d);
            leave[j, layers].Add(1.0 * e);
            if (d > 0) model.AddConstraint($"snk_end_{j}", [1.0 * e, .. endsAt[j, layers].Select(t => t.Variable.Multiply(-d))], ConstraintSense.LessOrEqual, 0);
        }
        for (var i = 0; i < nodes; i++)
            for (var j = 0; j < nodes; j++)
            {
                if (i == j) continue;
                var cap = Cap(N(i), N(j));
                if (!(cap > 0)) continue;
                var narrow = cap < Math.Min(peak[i], peak[j]);
                var bound = Math.Min(cap, Math.Min(peak[i], peak[j]));
                var pair = new List<MilpTerm>();
                for (var l = 1; l < layers; l++)
                {
                    if (endsAt[i, l].Count == 0 || startsAt[j, l].Count == 0) continue;
                    var g = model.AddContinuous(string.Create(CultureInfo.InvariantCulture, $"g_{i}_{j}_{l}"), 0, bound);
                    leave[i, l].Add(1.0 * g);
                    enter[j, l].Add(1.0 * g);
                    pair.Add(1.0 * g);
                    if (!narrow) continue;
                    model.AddConstraint(string.Create(CultureInfo.InvariantCulture, $"link_end_{i}_{j}_{l}"), [1.0 * g, .. endsAt[i, l].Select(t => t.Variable.Multiply(-cap))], ConstraintSense.LessOrEqual, 0);
                    model.AddConstraint(string.Create(CultureInfo.InvariantCulture, $"link_start_{i}_{j}_{l}"), [1.0 * g, .. startsAt[j, l].Select(t => t.Variable.Multiply(-cap))], ConstraintSense.LessOrEqual, 0);
                }
                if (narrow && pair.Count > 1) model.AddConstraint($"link_{i}_{j}", pair, ConstraintSense.LessOrEqual, cap);
            }
        for (var i = 0; i < nodes; i++)
        {
            var balance = new List<MilpTerm>();
            for (var l = 0; l <= layers; l++)
            {
                if (enter[i, l].Count > 0)
                    model.AddConstraint(string.Create(CultureInfo.InvariantCulture, $"enter_{i}_{l}"), [.. enter[i, l], .. enterCap[i, l].Select(t => t.Variable.Multiply(-t.Coefficient))], ConstraintSense.LessOrEqual, 0);
                if (leave[i, l].Count > 0)
                    model.AddConstraint(string.Create(CultureInfo.InvariantCulture, $"leave_{i}_{l}"), [.. leave[i, l], .. leaveCap[i, l].Select(t => t.Variable.Multiply(-t.Coefficient))], ConstraintSense.LessOrEqual, 0);
                balance.AddRange(enter[i, l]);
                balance.AddRange(leave[i, l].Select(t => t.Variable.Multiply(-1)));
            }
            if (balance.Count > 0) model.AddConstraint($"conserve_{i}", balance, ConstraintSense.Equal, 0);
        }
        model.AddConstraint("compute_bound", total, ConstraintSense.LessOrEqual, milp.ComputeBoundTokensPerSec);
        model.Maximize(total);
        return milp;
    }

    /// <summary>A MIP start: the placement's spans, and the flows of its static max flow (so the start is feasible).</summary>
    public double[] Start(IReadOnlyList<BlockSpan> spans, PlacementFlow flow)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(flow);
        var values = new double[Model.Variables.Count];
        foreach (var (node, start, count, x) in _spans)
            if (spans[node].Start == start && spans[node].Count == count) values[x.Index] = 1;
        var byName = Model.Variables.ToDictionary(v => v.Name, v => v.Index, StringComparer.Ordinal);
        foreach (var (from, to, tokens) in flow.LinkFlows)
        {
            string? name = from == HelixCluster.Source ? $"src_{to}"
                : to == HelixCluster.Sink ? $"snk_{from}"
                : $"g_{from}_{to}_{spans[int.Parse(from, CultureInfo.InvariantCulture)].End.ToString(CultureInfo.InvariantCulture)}";
            if (byName.TryGetValue(name, out var index)) values[index] = Math.Min(tokens, Model.Variables[index].UpperBound);
        }
        return values;
    }

    /// <summary>The spans a solution chooses (machines it leaves out hold nothing).</summary>
    public BlockSpan[] Spans(IReadOnlyList<double> values, int nodes)
    {
        ArgumentNullException.ThrowIfNull(values);
        var spans = new BlockSpan[nodes];
        foreach (var (node, start, count, x) in _spans)
            if (values[x.Index] > 0.5) spans[node] = new BlockSpan(start, count);
        return spans;
    }
}
