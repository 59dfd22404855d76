using System.Globalization;
using System.Text;
using Stamen.Helix;
using Stamen.Optimization.Milp;
using Stamen.Plans;

namespace Stamen.Tests.Helix;

/// <summary>
/// The span-indexed max-flow MILP: on small random clusters its proven optimum equals the best static max flow
/// over every placement (brute force), narrow links included; a placement's flows are a feasible start with its
/// flow as objective; the compute bound caps the total.
/// </summary>
public sealed class SpanFlowMilpTests
{
    /// <summary>A random cluster: T_i(k) falling with k, wide links except some narrow ones between machines.</summary>
    private static HelixThroughputs Random(int seed, int nodes, int layers, bool narrowLinks)
    {
        var rng = new Random(seed);
        var nodeCsv = new StringBuilder("node,layers,tokens_per_s\n");
        for (var i = 0; i < nodes; i++)
        {
            var most = rng.Next(1, layers + 1);
            var t = 20.0 + rng.Next(100);
            for (var k = 1; k <= most; k++, t *= 0.55 + 0.3 * rng.NextDouble())
                nodeCsv.Append(CultureInfo.InvariantCulture, $"{i},{k},{t:F3}\n");
        }
        var edgeCsv = new StringBuilder("from,to,tokens_per_s\n");
        for (var i = 0; i < nodes; i++)
        {
            edgeCsv.Append(CultureInfo.InvariantCulture, $"source,{i},{(rng.Next(4) == 0 ? 15.0 + rng.Next(20) : 1e4)}\n");
            edgeCsv.Append(CultureInfo.InvariantCulture, $"{i},sink,1e4\n");
            for (var j = 0; j < nodes; j++)
                if (i != j && rng.Next(5) != 0) edgeCsv.Append(CultureInfo.InvariantCulture, $"{i},{j},{(narrowLinks && rng.Next(2) == 0 ? 5.0 + rng.Next(30) : 1e4)}\n");
        }
        return HelixThroughputs.Parse(nodeCsv.ToString(), "n.csv", edgeCsv.ToString(), "e.csv");
    }

    private static double BruteForce(int nodes, int layers, HelixThroughputs t)
    {
        var choices = Enumerable.Range(0, nodes).Select(i =>
        {
            var list = new List<BlockSpan> { BlockSpan.None };
            for (var k = 1; t.NodeTokensPerSec(i, k) is not null && k <= layers; k++)
                for (var a = 0; a + k <= layers; a++) list.Add(new BlockSpan(a, k));
            return list;
        }).ToArray();
        var best = 0.0;
        var spans = new BlockSpan[nodes];
        void Walk(int i)
        {
            if (i == nodes)
            {
                best = Math.Max(best, PlacementMaxFlow.Compute(spans, layers, t).TokensPerSec);
                return;
            }
            foreach (var c in choices[i]) { spans[i] = c; Walk(i + 1); }
        }
        Walk(0);
        return best;
    }

    [Fact]
    public void ProvenOptimum_EqualsBruteForce_OnSmallRandomClusters()
    {
        var narrowMattered = 0;
        for (var seed = 1; seed <= 6; seed++)
        {
            const int nodes = 3, layers = 4;
            var t = Random(seed, nodes, layers, narrowLinks: true);
            var expected = BruteForce(nodes, layers, t);
            var milp = SpanFlowMilp.Build(nodes, layers, t);
            var result = MilpSolverCatalog.Create("scip").Solve(milp.Model, new MilpOptions { TimeLimitSeconds = 60 });
            Assert.Equal(MilpStatus.Optimal, result.Status);
            Assert.Equal(expected, result.ObjectiveValue, 4);
            var spans = milp.Spans(result.Values, nodes);
            Assert.Equal(expected, PlacementMaxFlow.Compute(spans, layers, t).TokensPerSec, 4);
            Assert.True(expected <= milp.ComputeBoundTokensPerSec + 1e-9);
            if (BruteForce(nodes, layers, Random(seed, nodes, layers, narrowLinks: false)) > expected + 1e-6) narrowMattered++;
        }
        Assert.True(narrowMattered > 0, "no instance where a narrow link changed the optimum");
    }

    [Fact]
    public void PlacementStart_IsFeasible_WithItsMaxFlowAsObjective()
    {
        var t = Random(11, 4, 5, narrowLinks: true);
        var spans = new[] { new BlockSpan(0, 1), new BlockSpan(1, 1), new BlockSpan(2, 1), new BlockSpan(3, 1) };
        for (var i = 0; i < spans.Length; i++)
            if (t.NodeTokensPerSec(i, 1) is null) spans[i] = BlockSpan.None;
        var flow = PlacementMaxFlow.Compute(spans, 5, t);
        var milp = SpanFlowMilp.Build(4, 5, t);
        var start = milp.Start(spans, flow);
        Assert.True(milp.Model.MaxViolation(start) < 1e-6, $"violation {milp.Model.MaxViolation(start)}");
        Assert.Equal(flow.TokensPerSec, milp.Model.EvaluateObjective(start), 6);
    }
}
