namespace Stamen.Reporting.Svg;

internal enum Swatch
{
    Line,
    Marker,
    Box,
}

/// <summary>One legend entry: the name and how its swatch is drawn.</summary>
internal sealed record LegendEntry(string Name, SeriesStyle Style, Swatch Swatch, string? Stroke = null);

/// <summary>A legend below the plot: entries left to right, wrapping onto new rows, in series order.</summary>
internal static class Legend
{
    private const double RowHeight = 18;
    private const double SwatchWidth = 22;
    private const double Gap = 16;

    /// <summary>Height the entries take in <paramref name="width"/> pixels (0 for none).</summary>
    public static double Height(IReadOnlyList<LegendEntry> entries, double width) =>
        entries.Count == 0 ? 0 : Layout(entries, width).Max(p => p.Y) + RowHeight + 4;

    public static void Draw(SvgCanvas canvas, IReadOnlyList<LegendEntry> entries, double left, double top, double width)
    {
        if (entries.Count == 0) return;
        var places = Layout(entries, width);
        canvas.OpenGroup("legend");
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var x = left + places[i].X;
            var mid = top + places[i].Y + RowHeight / 2;
            canvas.OpenGroup("legend-entry", entry.Name);
            switch (entry.Swatch)
            {
                case Swatch.Line:
                    canvas.Line(x, mid, x + SwatchWidth - 4, mid, entry.Style.Colour, 2.5, entry.Style.Dash);
                    break;
                case Swatch.Marker:
                    canvas.Marker(entry.Style.Marker, x + (SwatchWidth - 4) / 2, mid, 8, entry.Style.Colour, entry.Stroke ?? entry.Style.Colour, cssClass: "swatch");
                    break;
                default:
                    canvas.Rect(x, mid - 6, SwatchWidth - 8, 12, entry.Style.Colour, "swatch", stroke: entry.Stroke);
                    break;
            }
            canvas.Text(x + SwatchWidth, mid + 4, entry.Name);
            canvas.CloseGroup();
        }
        canvas.CloseGroup();
    }

    private static List<Pixel> Layout(IReadOnlyList<LegendEntry> entries, double width)
    {
        var places = new List<Pixel>(entries.Count);
        double x = 0, y = 0;
        foreach (var entry in entries)
        {
            var w = SwatchWidth + SvgCanvas.TextWidth(entry.Name) + Gap;
            if (x > 0 && x + w > width)
            {
                x = 0;
                y += RowHeight;
            }
            places.Add(new Pixel(x, y));
            x += w;
        }
        return places;
    }
}
