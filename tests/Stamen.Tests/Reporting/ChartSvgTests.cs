using System.Globalization;
using System.Xml.Linq;
using Stamen.Reporting;
using Stamen.Reporting.Html;
using Stamen.Reporting.Svg;

namespace Stamen.Tests.Reporting;

public sealed class ChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] Roles = ["Node", "Server", "Client"];

    public static TheoryData<int> EveryKindIndex => [.. Enumerable.Range(0, ReportFixtures.EveryKind().Count)];

    private static XElement Parse(Chart chart) => XDocument.Parse(ChartSvg.Render(chart)).Root!;

    private static IEnumerable<XElement> WithClass(XElement root, string cssClass) =>
        root.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    /// <summary>The plot's own width and height: its nested svg's viewBox less the bleed on both sides.</summary>
    private static (double Width, double Height) PlotSize(XElement plot)
    {
        var box = ((string)plot.Attribute("viewBox")!).Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (box[2] + 2 * box[0], box[3] + 2 * box[1]);
    }

    private static double D(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static IEnumerable<(double X, double Y)> PolylinePoints(XElement polyline) =>
        ((string)polyline.Attribute("points")!).Split(' ').Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)));

    [Fact]
    public void Line_MarkersSeries_MarksEveryPointAndAPlainSeriesNone()
    {
        var chart = new LineChart("t", "a", new Axis("x", null), new Axis("y", null),
        [
            new XySeries("swept", [1, 2, 3, 4], [1, 3, 2, 4], Markers: true),
            new XySeries("plain", [1, 2, 3, 4], [4, 3, 2, 1]),
        ]);

        var series = Parse(chart).Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series").ToList();
        int Markers(int s) => WithClass(series[s], "mark").Count(e => e.Name.LocalName != "polyline");

        Assert.Equal(4, Markers(0));
        Assert.Equal(0, Markers(1));
    }

    [Fact]
    public void Scatter_LabelsThatWouldOverlap_OnlyTheFirstIsDrawn()
    {
        string[] crowded = ["first", "second", "third"];
        string[] apart = ["low", "high"];
        var chart = new ScatterChart("t", "a", new Axis("x", null, Min: 0, Max: 100), new Axis("y", null, Min: 0, Max: 100),
        [
            new PointSeries("crowded", [50, 50.1, 50.2], [50, 50.1, 50.2], Labels: crowded),
            new PointSeries("apart", [10, 90], [10, 90], Labels: apart),
        ]);

        var texts = Parse(chart).Descendants(Svg + "text").Select(t => t.Value).ToList();

        Assert.Contains("first", texts);
        Assert.DoesNotContain("second", texts);
        Assert.DoesNotContain("third", texts);
        Assert.Contains("low", texts);
        Assert.Contains("high", texts);
    }

    [Theory]
    [MemberData(nameof(EveryKindIndex))]
    public void Render_EveryKind_IsWellFormedSvgWithTitleDescriptionAndMarks(int index)
    {
        var chart = ReportFixtures.EveryKind()[index];

        var root = Parse(chart);

        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal(chart.Title, root.Element(Svg + "title")!.Value);
        Assert.Equal(chart.AltText, root.Element(Svg + "desc")!.Value);
        Assert.NotEmpty(WithClass(root, "mark"));
    }

    [Theory]
    [MemberData(nameof(EveryKindIndex))]
    public void Render_EveryKind_MarksLieInsideTheirPlotArea(int index)
    {
        var root = Parse(ReportFixtures.EveryKind()[index]);

        foreach (var plot in WithClass(root, "plot"))
        {
            var (width, height) = PlotSize(plot);
            foreach (var line in plot.Descendants(Svg + "polyline"))
                Assert.All(PolylinePoints(line), p => Assert.True(p.X >= -2 && p.X <= width + 2 && p.Y >= -2 && p.Y <= height + 2, $"{p} in {width}x{height}"));
            foreach (var dot in plot.Descendants(Svg + "circle"))
                Assert.True(D(dot, "cx") >= 0 && D(dot, "cx") <= width && D(dot, "cy") >= 0 && D(dot, "cy") <= height);
        }
    }

    [Fact]
    public void Render_FixedAxes_PutsThePointWhereItsValuesSay()
    {
        var chart = new LineChart("t", "a", new Axis("x", "s", Min: 0, Max: 10), new Axis("y", "s", Min: 0, Max: 100),
            [new XySeries("one", [0, 5, 10], [0, 25, 100])]);

        var plot = WithClass(Parse(chart), "plot").Single();
        var points = PolylinePoints(plot.Descendants(Svg + "polyline").Single()).ToList();

        var (width, height) = PlotSize(plot);
        Assert.Equal((0, height), points[0]);
        Assert.Equal(width / 2, points[1].X, 0.1);
        Assert.Equal(height * 0.75, points[1].Y, 0.1);
        Assert.Equal((width, 0), points[2]);
    }

    [Fact]
    public void Render_StepSeries_DrawsAStaircase()
    {
        var chart = new LineChart("t", "a", new Axis("x", null, Min: 0, Max: 2), new Axis("y", null, Min: 0, Max: 2),
            [new XySeries("cdf", [0, 1, 2], [0, 1, 2], Step: true)]);

        var points = PolylinePoints(Parse(chart).Descendants(Svg + "polyline").Single()).ToList();

        Assert.Equal(5, points.Count);
        Assert.Equal(points[0].Y, points[1].Y);
        Assert.Equal(points[1].X, points[2].X);
    }

    [Theory]
    [MemberData(nameof(EveryKindIndex))]
    public void Render_EveryKind_LegendHasOneEntryPerSeries(int index)
    {
        var chart = ReportFixtures.EveryKind()[index];
        var expected = chart switch
        {
            LineChart c => c.Series.Select(s => s.Name),
            ScatterChart c => c.Series.Select(s => s.Name).Concat(c.Diagonal ? ["y = x"] : []),
            BarChart c => c.Series.Select(s => s.Name),
            PlacementChart c => c.Servers.Select(s => s.Gpu).Distinct(),
            MapChart c => Roles.Where(role => c.Nodes.Any(n => n.Role.ToString() == role)).Concat(c.Routes.Select(r => r.Name)),
            _ => throw new InvalidOperationException(),
        };

        var entries = WithClass(Parse(chart), "legend-entry").Select(e => (string?)e.Attribute("data-name"));

        Assert.Equal(expected.OrderBy(n => n, StringComparer.Ordinal), entries.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Render_SameNameTwice_SameColourAndOneLegendEntry()
    {
        var chart = new LineChart("t", "a", new Axis("x", null), new Axis("y", null),
            [new XySeries("vllm", [0, 1], [0, 1]), new XySeries("orca", [0, 1], [1, 0]), new XySeries("vllm", [0, 1], [0.5, 0.5])]);

        var root = Parse(chart);
        var colours = root.Descendants(Svg + "polyline").Select(p => (string?)p.Attribute("stroke")).ToList();

        Assert.Equal(colours[0], colours[2]);
        Assert.NotEqual(colours[0], colours[1]);
        Assert.Equal(2, WithClass(root, "legend-entry").Count());
    }

    [Fact]
    public void Render_MoreThanEightSeries_EverySeriesDrawnDifferently()
    {
        var series = Enumerable.Range(0, 20).Select(i => new XySeries($"s{i}", [0, 1], [i, i + 1])).ToList();

        var lines = Parse(new LineChart("t", "a", new Axis("x", null), new Axis("y", null), series)).Descendants(Svg + "polyline")
            .Select(p => ((string?)p.Attribute("stroke"), (string?)p.Attribute("stroke-dasharray")));

        Assert.Equal(20, lines.Distinct().Count());
    }

    [Fact]
    public void Render_MarkupInTitlesAndNames_IsEscapedAndReadsBackUnchanged()
    {
        const string Nasty = "a<b & \"c\" > 'd'";
        Chart[] charts =
        [
            new LineChart(Nasty, Nasty, new Axis(Nasty, Nasty), new Axis("y", null), [new XySeries(Nasty, [0, 1], [1, 2])]),
            new ScatterChart(Nasty, Nasty, new Axis("x", null), new Axis("y", null), [new PointSeries(Nasty, [1], [1], Labels: [Nasty])]),
            new BarChart(Nasty, Nasty, Nasty, [Nasty], new Axis("y", null), [new BarSeries(Nasty, [1])]),
            new PlacementChart(Nasty, Nasty, 4, [new PlacementRow(Nasty, Nasty, 0, 4, 1)]),
            new MapChart(Nasty, Nasty, [new MapNode(Nasty, 1, 1, MapRole.Server)], [new MapRoute(Nasty, [0])]),
        ];

        foreach (var chart in charts)
        {
            var root = Parse(chart);
            Assert.Equal(Nasty, root.Element(Svg + "title")!.Value);
            Assert.Equal(Nasty, root.Element(Svg + "desc")!.Value);
            Assert.Contains(WithClass(root, "legend-entry"), e => (string?)e.Attribute("data-name") == Nasty);
        }
    }

    [Fact]
    public void Render_SameReport_SameBytes()
    {
        var first = HtmlReport.Render(ReportFixtures.WithEveryChart());
        var second = HtmlReport.Render(ReportFixtures.WithEveryChart());

        Assert.Equal(first, second);
    }

    public static TheoryData<string, Chart> Degenerate => new()
    {
        { "no series", new LineChart("t", "a", new Axis("x", null), new Axis("y", null), []) },
        { "empty series", new LineChart("t", "a", new Axis("x", null), new Axis("y", null), [new XySeries("e", [], [])]) },
        { "NaN and infinities", new LineChart("t", "a", new Axis("x", null), new Axis("y", null),
            [new XySeries("n", [double.NaN, 1, double.PositiveInfinity, 2, 3], [1, double.NegativeInfinity, 2, double.NaN, 3])]) },
        { "only NaN", new ScatterChart("t", "a", new Axis("x", null), new Axis("y", null), [new PointSeries("n", [double.NaN], [double.NaN])]) },
        { "single point", new LineChart("t", "a", new Axis("x", null), new Axis("y", null), [new XySeries("p", [4], [7], Step: true)]) },
        { "all equal", new LineChart("t", "a", new Axis("x", null), new Axis("y", null), [new XySeries("p", [1, 1, 1], [0, 0, 0])]) },
        { "huge values", new LineChart("t", "a", new Axis("x", null), new Axis("y", null), [new XySeries("p", [double.MaxValue, -double.MaxValue], [1e300, 1])]) },
        { "unequal lengths", new ScatterChart("t", "a", new Axis("x", null), new Axis("y", null), [new PointSeries("p", [1, 2, 3], [1], Connect: true, Labels: [])]) },
        { "log with zeros", new LineChart("t", "a", new Axis("x", null, AxisScale.Log), new Axis("y", null, AxisScale.Log),
            [new XySeries("p", [0, -1, 10], [0, 5, 5])]) },
        { "fixed bounds reversed", new LineChart("t", "a", new Axis("x", null, Min: 5, Max: 1), new Axis("y", null, Min: 3, Max: 3),
            [new XySeries("p", [0, 10], [0, 10])]) },
        { "diagonal with one point", new ScatterChart("t", "a", new Axis("x", null), new Axis("y", null), [new PointSeries("p", [2], [2])], Diagonal: true) },
        { "bars without categories", new BarChart("t", "a", "c", [], new Axis("y", null), []) },
        { "bars with missing and negative values", new BarChart("t", "a", "c", ["a", "b", "c"], new Axis("y", null),
            [new BarSeries("s", [-2, double.NaN]), new BarSeries("t", [3, 1, 4])], Stacked: true) },
        { "bars all zero on a log axis", new BarChart("t", "a", "c", ["a"], new Axis("y", null, AxisScale.Log), [new BarSeries("s", [0])]) },
        { "placement without servers", new PlacementChart("t", "a", 0, []) },
        { "placement out of range", new PlacementChart("t", "a", 10, [new PlacementRow("s", "g", -5, 50, 0), new PlacementRow("r", "g", 8, 2, 1)]) },
        { "placement of many servers", new PlacementChart("t", "a", 70,
            [.. Enumerable.Range(0, 120).Select(i => new PlacementRow($"server-{i}", $"gpu-{i % 3}", i % 70, i % 70 + 1, i))]) },
        { "map without nodes", new MapChart("t", "a", [], [new MapRoute("r", [0, 1])]) },
        { "map of one node", new MapChart("t", "a", [new MapNode("n", 10, 20, MapRole.Client)], []) },
        { "map with bad coordinates", new MapChart("t", "a",
            [new MapNode("n", double.NaN, 20, MapRole.Server), new MapNode("m", 89, 179, MapRole.Node), new MapNode("k", -89, -179, MapRole.Client)],
            [new MapRoute("r", [0, 1, 2, 7, -1])]) },
    };

    [Theory]
    [MemberData(nameof(Degenerate))]
    public void Render_DegenerateInput_StillWellFormedSvg(string name, Chart chart)
    {
        var root = Parse(chart);

        Assert.True(root.Name == Svg + "svg", name);
        Assert.DoesNotContain("NaN", root.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", root.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReportWithCharts_EachFigureCarriesItsNumbersInACollapsedTable()
    {
        var report = ReportFixtures.WithEveryChart();

        var html = HtmlReport.Render(report);

        var charts = report.Sections.Sum(s => s.Charts.Count);
        Assert.Equal(charts, html.Split("<details class=\"data\"><summary>Data</summary>").Length - 1);
        Assert.Contains("<th scope=\"col\">First-token latency (s)</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Paris → Warsaw → Frankfurt</td>", html, StringComparison.Ordinal);
    }
}
