using Stamen.Reporting;

namespace Stamen.Tests.Reporting;

/// <summary>Reports built in code: one of every chart kind, shaped like the commands' (a CDF, a Pareto front, a placement strip, a map).</summary>
internal static class ReportFixtures
{
    public static LineChart Cdf() => new("First-token latency by algorithm", "cg-bp+ws-rr answers 90% of requests within 3 s; petals needs 25 s",
        new Axis("First-token latency", "s", AxisScale.Log), new Axis("Requests answered", "%", Min: 0, Max: 100),
        [
            Staircase("petals", [2.1, 3.5, 8, 12, 25, 40]),
            Staircase("cg-bp+ws-rr", [2.5, 2.6, 2.7, 2.9, 3.0, 3.4]),
        ]);

    public static LineChart TimeSeries() => new("Cache occupancy over time", "occupancy rises to 80% after 60 s and stays",
        new Axis("Time", "s"), new Axis("Cache occupied", "%"),
        [new XySeries("server 1", [.. Enumerable.Range(0, 100).Select(i => i * 1.5)], [.. Enumerable.Range(0, 100).Select(i => Math.Min(80, i * 1.6))], Step: true)]);

    public static ScatterChart Pareto() => new("Pareto front of a client's request", "the knee gives 0.52 s/token with 4 free sessions",
        new Axis("Per-token latency", "s"), new Axis("Bottleneck free sessions", "sessions"),
        [
            new PointSeries("front", [0.5, 0.52, 0.6, 0.8], [2, 4, 6, 7], Connect: true, Labels: ["", "knee", "", "max sessions"]),
            new PointSeries("dominated", [0.7, 0.9, 1.1], [3, 5, 2]),
        ]);

    public static ScatterChart PredictedVsMeasured() => new("Predicted against measured throughput", "predictions fall within 10% of the twin",
        new Axis("Twin-measured throughput", "tokens/s"), new Axis("Predicted throughput", "tokens/s"),
        [new PointSeries("h100", [100, 220, 340], [105, 210, 360]), new PointSeries("a100", [80, 150, 260], [78, 160, 250])], Diagonal: true);

    public static BarChart GroupedBars() => new("GPUs used per method", "the forest predictor packs adapters on 3 GPUs where first-fit needs 5",
        "Method", ["first-fit", "forest", "exact"], new Axis("GPUs", "count"),
        [new BarSeries("h100", [3, 2, 2]), new BarSeries("a100", [2, 1, 1])]);

    public static BarChart StackedBars() => new("Layers on client and server", "chat keeps 6 layers on the phone; code none",
        "Request type", ["chat", "code", "summarise"], new Axis("Layers", "count"),
        [new BarSeries("client", [6, 0, 3]), new BarSeries("server", [26, 32, 29])], Stacked: true);

    public static PlacementChart Placement() => new("Block placement", "three A100s hold the whole model; the MIG slices add a second copy of blocks 0-35",
        70,
        [
            new PlacementRow("server-00", "a100-80gb", 0, 35, 12),
            new PlacementRow("server-01", "a100-80gb", 35, 70, 12),
            new PlacementRow("server-02", "a100-mig-1g.10gb", 0, 8, 1),
            new PlacementRow("server-03", "a100-mig-1g.10gb", 8, 16, 1),
        ]);

    public static MapChart Map() => new("Topology and sample routes", "petals routes through Warsaw; cg-bp+ws-rr stays in the west",
        [
            new MapNode("Paris", 48.86, 2.35, MapRole.Client),
            new MapNode("Frankfurt", 50.11, 8.68, MapRole.Server),
            new MapNode("Warsaw", 52.23, 21.01, MapRole.Server),
            new MapNode("Madrid", 40.42, -3.70, MapRole.Server),
            new MapNode("Milan", 45.46, 9.19, MapRole.Node),
        ],
        [new MapRoute("petals", [0, 2, 1]), new MapRoute("cg-bp+ws-rr", [0, 1, 3])]);

    public static IReadOnlyList<Chart> EveryKind() =>
        [Cdf(), TimeSeries(), Pareto(), PredictedVsMeasured(), GroupedBars(), StackedBars(), Placement(), Map()];

    public static Report WithEveryChart() => new("swarm", "Every chart kind <&\"> test", "stamen compare --report out.html",
        [new ReportFact("model", "bloom-176b"), new ReportFact("servers", "12")],
        [
            new ReportSection("Latency", "Lower is better.",
                [new ReportTable("Summary", ["algorithm", "s/token"], [["petals", "1.189"], ["cg-bp+ws-rr", "0.520"]])],
                [Cdf(), TimeSeries()]),
            new ReportSection("Choices", null, [], [Pareto(), PredictedVsMeasured(), GroupedBars(), StackedBars()]),
            new ReportSection("Swarm", null, [], [Placement(), Map()]),
        ]);

    private static XySeries Staircase(string name, double[] seconds) =>
        new(name, seconds, [.. seconds.Select((_, i) => 100.0 * (i + 1) / seconds.Length)], Step: true);
}
