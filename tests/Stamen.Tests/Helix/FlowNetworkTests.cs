using Stamen.Optimization.Flow;

namespace Stamen.Tests.Helix;

/// <summary>Max flow equals the minimum cut, found by enumerating every cut of small random graphs.</summary>
public sealed class FlowNetworkTests
{
    [Fact]
    public void MaxFlow_RandomSmallGraphs_EqualsBruteForceMinimumCut()
    {
        var withFlow = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var rng = new Random(seed);
            var n = rng.Next(2, 8);
            var edges = new List<(int From, int To, double Capacity)>();
            for (var k = 0; k < rng.Next(1, 3 * n); k++)
            {
                int a = rng.Next(n), b = rng.Next(n);
                if (a != b) edges.Add((a, b, Math.Round(rng.NextDouble() * 10, 2)));
            }
            var network = new FlowNetwork(n);
            var ids = edges.Select(e => network.AddEdge(e.From, e.To, e.Capacity)).ToList();
            var flow = network.MaxFlow(0, n - 1);

            Assert.Equal(MinimumCut(n, edges), flow, 9);
            // The flows respect capacities and are conserved at every inner node.
            var net = new double[n];
            for (var k = 0; k < edges.Count; k++)
            {
                var f = network.Flow(ids[k]);
                Assert.InRange(f, -1e-9, edges[k].Capacity + 1e-9);
                net[edges[k].From] -= f;
                net[edges[k].To] += f;
            }
            for (var v = 1; v < n - 1; v++) Assert.Equal(0, net[v], 9);
            Assert.Equal(flow, net[n - 1], 9);
            if (flow > 0) withFlow++;
        }
        Assert.True(withFlow > 50, $"only {withFlow} graphs carried any flow");
    }

    [Fact]
    public void MaxFlow_HandWorked_ParallelAndSeriesPaths()
    {
        // 0 -> 1 -> 3 (caps 4, 2) and 0 -> 2 -> 3 (caps 3, 5), plus 1 -> 2 (cap 1): 2 + min(3 + 1, 5) = 6.
        var network = new FlowNetwork(4);
        network.AddEdge(0, 1, 4);
        network.AddEdge(1, 3, 2);
        network.AddEdge(0, 2, 3);
        network.AddEdge(2, 3, 5);
        network.AddEdge(1, 2, 1);
        Assert.Equal(6, network.MaxFlow(0, 3), 12);
    }

    /// <summary>The least capacity over all cuts with the source on one side and the sink on the other.</summary>
    private static double MinimumCut(int n, List<(int From, int To, double Capacity)> edges)
    {
        var best = double.PositiveInfinity;
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if ((mask & 1) == 0 || (mask & (1 << (n - 1))) != 0) continue;
            var cut = edges.Where(e => (mask & (1 << e.From)) != 0 && (mask & (1 << e.To)) == 0).Sum(e => e.Capacity);
            best = Math.Min(best, cut);
        }
        return best;
    }
}
