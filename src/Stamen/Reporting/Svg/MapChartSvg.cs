using System.Globalization;

namespace Stamen.Reporting.Svg;

/// <summary>
/// The topology on an equirectangular map fitted to the nodes: x is longitude scaled by the cosine of the middle
/// latitude (so distances look right at the swarm's latitude), y is latitude; one scale for both keeps shapes.
/// </summary>
internal static class MapChartSvg
{
    private const double Top = 14;
    private const double Right = 20;
    private const double MaxHeight = 420;
    private const double Margin = 0.08;
    private const string ServerFill = "#3b434b";

    public static string Render(MapChart chart)
    {
        var nodes = chart.Nodes ?? [];
        var routes = chart.Routes ?? [];
        var placed = nodes.Where(n => Placeable(n)).ToList();
        var (lonLo, lonHi) = Bounds(placed.Select(n => n.Longitude), 180);
        var (latLo, latHi) = Bounds(placed.Select(n => n.Latitude), 90);
        var cos = Math.Max(0.1, Math.Cos((latLo + latHi) / 2 * Math.PI / 180));
        var width = SvgCanvas.Width - Axes.LeftOfPlot - Right;
        var scale = Math.Min(width / ((lonHi - lonLo) * cos), MaxHeight / (latHi - latLo));
        var drawnWidth = (lonHi - lonLo) * cos * scale;
        var area = new PlotArea(Axes.LeftOfPlot, Top, width, (latHi - latLo) * scale);
        var offset = (width - drawnWidth) / 2;
        var frame = new XyFrame(area,
            AxisMap.Fit(new Axis("Longitude", "°", Min: lonLo, Max: lonHi), [], offset, offset + drawnWidth),
            AxisMap.Fit(new Axis("Latitude", "°", Min: latLo, Max: latHi), [], area.Height, 0));

        var roles = new[] { MapRole.Node, MapRole.Server, MapRole.Client }.Where(role => placed.Any(n => n.Role == role)).ToList();
        var legend = roles.Select(RoleEntry).ToList();
        legend.AddRange(routes.Select((route, i) => new LegendEntry(route.Name ?? "", Palette.For(i), Swatch.Line)));

        var canvas = new SvgCanvas();
        frame.DrawAxes(canvas, new Axis("Longitude", "°"), new Axis("Latitude", "°"));
        canvas.OpenPlot(area);
        DrawNodes(canvas, frame, nodes, MapRole.Node);
        DrawRoutes(canvas, frame, nodes, routes);
        DrawNodes(canvas, frame, nodes, MapRole.Server);
        DrawNodes(canvas, frame, nodes, MapRole.Client);
        canvas.ClosePlot();
        Legend.Draw(canvas, legend, area.Left, frame.LegendTop, SvgCanvas.Width - area.Left);
        return canvas.Document(frame.Height(legend), chart.Title, chart.AltText);
    }

    private static bool Placeable(MapNode node) => double.IsFinite(node.Latitude) && double.IsFinite(node.Longitude);

    /// <summary>The values' range with a margin on each side; one place (or none) gets a degree either way.</summary>
    private static (double Low, double High) Bounds(IEnumerable<double> values, double limit)
    {
        var list = values.ToList();
        if (list.Count == 0) return (-1, 1);
        double lo = list.Min(), hi = list.Max();
        var margin = Math.Max((hi - lo) * Margin, 1);
        return (Math.Max(-limit, lo - margin), Math.Min(limit, hi + margin));
    }

    private static LegendEntry RoleEntry(MapRole role) => role switch
    {
        MapRole.Server => new LegendEntry("Server", new SeriesStyle(ServerFill, null, MarkerShape.Square), Swatch.Marker, "#ffffff"),
        MapRole.Client => new LegendEntry("Client", new SeriesStyle("#ffffff", null, MarkerShape.Triangle), Swatch.Marker, SvgCanvas.TextColour),
        _ => new LegendEntry("Node", new SeriesStyle(Palette.Muted, null, MarkerShape.Circle), Swatch.Marker),
    };

    private static void DrawNodes(SvgCanvas canvas, XyFrame frame, IReadOnlyList<MapNode> nodes, MapRole role)
    {
        var style = RoleEntry(role);
        var size = role switch { MapRole.Node => 5, MapRole.Server => 9, _ => 11 };
        canvas.OpenGroup("nodes", role.ToString());
        foreach (var node in nodes.Where(n => n.Role == role && Placeable(n)))
        {
            if (frame.Place(node.Longitude, node.Latitude) is not { } p) continue;
            var tooltip = string.Create(CultureInfo.InvariantCulture, $"{node.Name} ({role}, {node.Latitude:0.##}°, {node.Longitude:0.##}°)");
            canvas.Marker(style.Style.Marker, p.X, p.Y, size, style.Style.Colour, style.Stroke ?? style.Style.Colour, tooltip);
        }
        canvas.CloseGroup();
    }

    /// <summary>Each route through its nodes, nudged apart by a pixel or two so routes over the same link stay visible.</summary>
    private static void DrawRoutes(SvgCanvas canvas, XyFrame frame, IReadOnlyList<MapNode> nodes, IReadOnlyList<MapRoute> routes)
    {
        for (var r = 0; r < routes.Count; r++)
        {
            var nudge = (r - (routes.Count - 1) / 2.0) * 1.5;
            var points = new List<Pixel>();
            foreach (var index in routes[r].Path ?? [])
            {
                if (index < 0 || index >= nodes.Count || !Placeable(nodes[index])) continue;
                if (frame.Place(nodes[index].Longitude, nodes[index].Latitude) is { } p) points.Add(new Pixel(p.X + nudge, p.Y + nudge));
            }
            var style = Palette.For(r);
            canvas.OpenGroup("series", routes[r].Name);
            if (points.Count > 1) canvas.Polyline(points, style.Colour, style.Dash, 2.2);
            canvas.CloseGroup();
        }
    }
}
