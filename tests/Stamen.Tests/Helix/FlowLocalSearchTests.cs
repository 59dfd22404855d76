using Stamen.Helix;

namespace Stamen.Tests.Helix;

/// <summary>The max-flow local search never ends below its start, is deterministic for a seed, and finds better placements than the baselines.</summary>
public sealed class FlowLocalSearchTests
{
    private static string Data(string relative) => RepositoryData.PathTo(Path.Combine("helix", relative));

    [Theory]
    [InlineData("single24", "swarm")]
    [InlineData("single24", "petals")]
    [InlineData("3cluster24", "swarm")]
    [InlineData("cluster42", "petals")]
    public void Improve_FromABaseline_NeverWorseAndReproducible(string cluster, string layout)
    {
        var nodes = HelixClusterFile.Load(Data($"clusters/{cluster}.ini")).Nodes.Count;
        var folder = $"{cluster}-llama2-70b";
        var start = HelixLayoutFile.Load(Data($"layouts/{folder}/{layout}_sol.ini"), nodes, 80);
        var tables = HelixThroughputs.Load(Data($"derived/{folder}/node_throughput.csv"), Data($"derived/{folder}/edge_capacity.csv"));
        var startFlow = PlacementMaxFlow.Compute(start, 80, tables).TokensPerSec;

        var options = new FlowLocalSearchOptions(Iterations: 3000, Seed: 7);
        var (spans, flow) = FlowLocalSearch.Improve(start, 80, tables, options);

        Assert.True(flow > startFlow, $"{cluster}/{layout}: {flow} did not improve on {startFlow}");
        Assert.Equal(flow, PlacementMaxFlow.Compute(spans, 80, tables).TokensPerSec, 6);
        Assert.All(spans, s => Assert.True(s.IsEmpty || (s.Start >= 0 && s.End <= 80)));
        Assert.Equal(spans, FlowLocalSearch.Improve(start, 80, tables, options).Spans);
    }
}
