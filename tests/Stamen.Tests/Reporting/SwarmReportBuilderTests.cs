using System.Diagnostics;
using System.Text.Json;
using Stamen.Cli.Rendering;
using Stamen.Experiments;
using Stamen.Network;
using Stamen.Reporting;
using Stamen.Reporting.Swarm;
using Stamen.Scenarios;
using Stamen.Tests.Experiments;
using Stamen.Tests.Scenarios;
using Stamen.Workload;

namespace Stamen.Tests.Reporting;

public sealed class SwarmReportBuilderTests
{
    private static (ScenarioResolver Resolver, ComparisonResult Result, SimulatedRun[][] Runs, Report Report) Compare(ScenarioDefinition definition, int runs)
    {
        var resolver = ScenarioResolver.Create(definition);
        var (result, simulated) = new SwarmExperiment(resolver).CompareWithRuns(runs, recordRunZeroTimeline: true);
        return (resolver, result, simulated, SwarmReportBuilder.Build(resolver, result, simulated, "t", "stamen compare"));
    }

    private static readonly Lazy<(ScenarioResolver Resolver, ComparisonResult Result, SimulatedRun[][] Runs, Report Report)> Small =
        new(() => Compare(ExperimentScenarios.Default(0.5, 60), 2));

    private static IEnumerable<Chart> Charts(Report report) => report.Sections.SelectMany(s => s.Charts);

    [Fact]
    public void Build_Default_EveryLineChartHasOneSeriesPerAlgorithm()
    {
        var (_, result, _, report) = Small.Value;
        var lines = Charts(report).OfType<LineChart>().ToList();
        Assert.Equal(4, lines.Count);
        foreach (var chart in lines)
        {
            Assert.Equal(result.Results.Select(r => r.Algorithm), chart.Series.Select(s => s.Name));
            Assert.All(chart.Series, s => Assert.True(s.Step && s.X.Count == s.Y.Count && s.X.Count is > 0 and <= Cdf.MaxPoints));
            Assert.False(string.IsNullOrWhiteSpace(chart.AltText));
            Assert.NotNull(chart.X.Unit);
        }
        Assert.Equal(result.Results.Count, Charts(report).OfType<PlacementChart>().Count());
    }

    [Fact]
    public void Build_Default_LatencyCdfsEndAtOneAndTheTextNamesTheLowestMedian()
    {
        var (_, _, runs, report) = Small.Value;
        var perToken = Charts(report).OfType<LineChart>().First();
        Assert.All(perToken.Series, s => Assert.Equal(1.0, s.Y[^1]));
        var lowest = perToken.Series.Select((s, a) => (s.Name, Median: Median(runs.SelectMany(r => r[a].Twin.Requests).Where(o => o.Succeeded).Select(o => o.AverageMsPerToken / 1000))))
            .MinBy(m => m.Median);
        Assert.StartsWith(lowest.Name + " has the lowest median", perToken.AltText, StringComparison.Ordinal);
    }

    private static double Median(IEnumerable<double> values) => Stamen.Simulation.Metrics.Percentiles.OfSorted(values.Order().ToList(), 0.5);

    [Fact]
    public void Build_Default_PlacementRowsEqualThePlansSpans()
    {
        var (_, _, runs, report) = Small.Value;
        var placements = Charts(report).OfType<PlacementChart>().ToList();
        for (var a = 0; a < placements.Count; a++)
        {
            var planned = runs[0][a].Planned;
            var spans = planned.Plan.Placement.Spans;
            Assert.Equal(planned.Plan.Placement.NumBlocks, placements[a].Blocks);
            Assert.Equal(spans.Select(s => (s.Start, s.End)), placements[a].Servers.Select(r => (r.Start, r.End)));
            Assert.Equal(planned.Run.Swarm.Servers.Select(s => (s.Name, s.GpuName)), placements[a].Servers.Select(r => (r.Server, r.Gpu)));
            Assert.Equal(PlanReport.ServerRows(planned).Select(r => r.SessionCapacity), placements[a].Servers.Select(r => r.SessionCapacity));
        }
    }

    [Fact]
    public void Build_Default_MapRoutesIndexValidNodesAndStartAtAClient()
    {
        var (_, result, runs, report) = Small.Value;
        var map = Assert.Single(Charts(report).OfType<MapChart>());
        Assert.Equal(result.Results.Select(r => r.Algorithm), map.Routes.Select(r => r.Name));
        foreach (var route in map.Routes)
        {
            Assert.All(route.Path, i => Assert.InRange(i, 0, map.Nodes.Count - 1));
            Assert.Equal(MapRole.Client, map.Nodes[route.Path[0]].Role);
            Assert.All(route.Path.Skip(1), i => Assert.Equal(MapRole.Server, map.Nodes[i].Role));
        }
        Assert.Equal(runs[0][0].Planned.Run.Swarm.ServerCount, map.Nodes.Count(n => n.Role == MapRole.Server));
        Assert.All(map.Nodes, n => Assert.True(Math.Abs(n.Latitude) <= 90 && Math.Abs(n.Longitude) <= 180));
        Assert.DoesNotContain("round trips", map.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Clustered_PlacesNodesFromRoundTripsAndSaysSo()
    {
        var definition = ScenarioFiles.LoadExample("clustered.yaml");
        definition = definition with { Workload = ((PoissonWorkloadDefinition)definition.Workload) with { Requests = 20 } };
        var (_, _, _, report) = Compare(definition, 1);
        var map = Assert.Single(Charts(report).OfType<MapChart>());
        Assert.Contains("positions from round trips, not geography", map.Title, StringComparison.Ordinal);
        Assert.StartsWith("Positions from round trips, not geography.", map.AltText, StringComparison.Ordinal);
        Assert.Equal(3, map.Nodes.Count(n => n.Role == MapRole.Client));
    }

    [Fact]
    public void NodePositions_WithoutCoordinates_KeepsRoundTripDistances()
    {
        // Three nodes on a line: 10 ms, 20 ms and 30 ms apart.
        var topology = new Topology("line", [new("a", null, null), new("b", null, null), new("c", null, null)],
            new double[,] { { 0, 10, 30 }, { 10, 0, 20 }, { 30, 20, 0 } });
        var p = NodePositions.Of(topology)!;
        Assert.True(p.FromRoundTrips);
        double Distance(int i, int j) => Math.Sqrt(Math.Pow(p.LatitudeDeg[i] - p.LatitudeDeg[j], 2) + Math.Pow(p.LongitudeDeg[i] - p.LongitudeDeg[j], 2));
        Assert.Equal(9, Distance(0, 1), 6);
        Assert.Equal(18, Distance(1, 2), 6);
        Assert.Equal(27, Distance(0, 2), 6);
    }

    [Fact]
    public void Build_SameResults_SameJson()
    {
        var (resolver, result, runs, report) = Small.Value;
        var again = SwarmReportBuilder.Build(resolver, result, runs, "t", "stamen compare");
        Assert.Equal(JsonSerializer.Serialize(report, JsonOutput.Options), JsonSerializer.Serialize(again, JsonOutput.Options));
    }

    [Fact]
    public void Build_DefaultScenario_TakesUnderTwoSecondsAndStaysSmall()
    {
        var resolver = ScenarioResolver.Create(BuiltinScenarios.Load(null));
        var (result, runs) = new SwarmExperiment(resolver).CompareWithRuns(resolver.Definition.Runs, recordRunZeroTimeline: true);
        var clock = Stopwatch.StartNew();
        var report = SwarmReportBuilder.Build(resolver, result, runs, "t", "stamen compare");
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"building the report took {clock.Elapsed}");
        Assert.True(JsonSerializer.Serialize(report, JsonOutput.Options).Length < 1_000_000);
        Assert.Equal(5, report.Sections.Count);
    }
}
