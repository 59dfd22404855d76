using System.Globalization;
using System.Text;

namespace Stamen.Reporting.Svg;

/// <summary>A point in pixels, y downwards.</summary>
internal readonly record struct Pixel(double X, double Y);

/// <summary>The rectangle the data is drawn in, in pixels of the whole chart.</summary>
internal readonly record struct PlotArea(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;
    public double Bottom => Top + Height;
}

/// <summary>
/// Writes SVG elements with presentation attributes (no shared CSS, so a chart looks the same pasted anywhere), every
/// number rounded to 0.1 px and formatted invariantly so the same chart gives the same bytes.
/// </summary>
internal sealed class SvgCanvas
{
    /// <summary>Every chart is this wide; the page scales it down on narrow screens.</summary>
    public const double Width = 720;
    public const double FontSize = 11;
    public const string TextColour = "#1f2328";
    public const string AxisColour = "#57606a";
    public const string GridColour = "#eaeef2";

    private readonly StringBuilder _body = new();

    /// <summary>A pixel coordinate: one decimal is finer than any screen, and keeps files small.</summary>
    public static string N(double value)
    {
        var rounded = Math.Round(value, 1);
        return (rounded == 0 ? 0 : rounded).ToString("0.#", CultureInfo.InvariantCulture);
    }

    public static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);

    /// <summary>
    /// Approximate width of text in a sans-serif font: there is no font metrics at render time, and an estimate that
    /// errs wide only costs some white space.
    /// </summary>
    public static double TextWidth(string text, double fontSize = FontSize) => text.Length * fontSize * 0.6;

    /// <summary>Names longer than <paramref name="length"/> characters end in an ellipsis (the data table keeps them whole).</summary>
    public static string Shorten(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    public void Raw(string markup) => _body.Append(markup);

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        _body.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2)).Append("\" y2=\"").Append(N(y2))
            .Append("\" stroke=\"").Append(stroke).Append('"');
        if (width != 1) _body.Append(" stroke-width=\"").Append(N(width)).Append('"');
        if (!string.IsNullOrEmpty(dash)) _body.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        _body.Append("/>");
    }

    /// <summary>Text at (x, y) on its baseline; <paramref name="anchor"/> is start, middle or end.</summary>
    public void Text(double x, double y, string text, string anchor = "start", double? rotateDegrees = null, string? fill = null,
        double fontSize = FontSize, bool bold = false)
    {
        _body.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append('"');
        if (anchor != "start") _body.Append(" text-anchor=\"").Append(anchor).Append('"');
        if (rotateDegrees is { } angle)
            _body.Append(" transform=\"rotate(").Append(N(angle)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        if (fill is not null) _body.Append(" fill=\"").Append(fill).Append('"');
        if (fontSize != FontSize) _body.Append(" font-size=\"").Append(N(fontSize)).Append('"');
        if (bold) _body.Append(" font-weight=\"600\"");
        _body.Append('>').Append(Escape(text)).Append("</text>");
    }

    /// <summary>A filled rectangle; <paramref name="tooltip"/> becomes its SVG title, shown on hover.</summary>
    public void Rect(double x, double y, double width, double height, string fill, string? cssClass = null, string? tooltip = null,
        string? stroke = null)
    {
        _body.Append("<rect");
        if (cssClass is not null) _body.Append(" class=\"").Append(cssClass).Append('"');
        _body.Append(" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(0, width)))
            .Append("\" height=\"").Append(N(Math.Max(0, height))).Append("\" fill=\"").Append(fill).Append('"');
        if (stroke is not null) _body.Append(" stroke=\"").Append(stroke).Append('"');
        Close("rect", tooltip);
    }

    /// <summary>A line through the points, drawn as one polyline (so tests and readers can find a series' points).</summary>
    public void Polyline(IReadOnlyList<Pixel> points, string stroke, string? dash, double width = 1.8, string cssClass = "mark")
    {
        _body.Append("<polyline class=\"").Append(cssClass).Append("\" fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"")
            .Append(N(width)).Append('"');
        if (!string.IsNullOrEmpty(dash)) _body.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        _body.Append(" stroke-linejoin=\"round\" points=\"");
        for (var i = 0; i < points.Count; i++)
        {
            if (i > 0) _body.Append(' ');
            _body.Append(N(points[i].X)).Append(',').Append(N(points[i].Y));
        }
        _body.Append("\"/>");
    }

    /// <summary>A marker of the given shape centred on (x, y), about <paramref name="size"/> px across.</summary>
    public void Marker(MarkerShape shape, double x, double y, double size, string fill, string stroke, string? tooltip = null,
        string cssClass = "mark")
    {
        var r = size / 2;
        switch (shape)
        {
            case MarkerShape.Circle:
                _body.Append("<circle class=\"").Append(cssClass).Append("\" cx=\"").Append(N(x)).Append("\" cy=\"").Append(N(y))
                    .Append("\" r=\"").Append(N(r)).Append('"');
                AppendPaint(fill, stroke);
                Close("circle", tooltip);
                return;
            case MarkerShape.Square:
                _body.Append("<rect class=\"").Append(cssClass).Append("\" x=\"").Append(N(x - r)).Append("\" y=\"").Append(N(y - r))
                    .Append("\" width=\"").Append(N(size)).Append("\" height=\"").Append(N(size)).Append('"');
                AppendPaint(fill, stroke);
                Close("rect", tooltip);
                return;
            case MarkerShape.Triangle:
                Polygon([new(x, y - r * 1.15), new(x + r * 1.1, y + r * 0.85), new(x - r * 1.1, y + r * 0.85)], fill, stroke, tooltip, cssClass);
                return;
            default:
                Polygon([new(x, y - r * 1.2), new(x + r * 1.2, y), new(x, y + r * 1.2), new(x - r * 1.2, y)], fill, stroke, tooltip, cssClass);
                return;
        }
    }

    private void Polygon(Pixel[] corners, string fill, string stroke, string? tooltip, string cssClass)
    {
        _body.Append("<polygon class=\"").Append(cssClass).Append("\" points=\"");
        for (var i = 0; i < corners.Length; i++)
        {
            if (i > 0) _body.Append(' ');
            _body.Append(N(corners[i].X)).Append(',').Append(N(corners[i].Y));
        }
        _body.Append('"');
        AppendPaint(fill, stroke);
        Close("polygon", tooltip);
    }

    private void AppendPaint(string fill, string stroke) =>
        _body.Append(" fill=\"").Append(fill).Append("\" stroke=\"").Append(stroke).Append('"');

    private void Close(string element, string? tooltip)
    {
        if (tooltip is null)
        {
            _body.Append("/>");
            return;
        }
        _body.Append("><title>").Append(Escape(tooltip)).Append("</title></").Append(element).Append('>');
    }

    /// <summary>How far marks may reach past the plot's edge before they are clipped: a marker on the axis shows whole.</summary>
    public const double Bleed = 6;

    /// <summary>
    /// Opens the plot: a nested <c>svg</c> whose coordinates start at the plot's corner and which clips marks beyond
    /// <see cref="Bleed"/> (data outside fixed axis bounds). It clips without a clip-path id, which would have to be
    /// unique across a page of charts.
    /// </summary>
    public void OpenPlot(PlotArea area) =>
        _body.Append("<svg class=\"plot\" x=\"").Append(N(area.Left - Bleed)).Append("\" y=\"").Append(N(area.Top - Bleed))
            .Append("\" width=\"").Append(N(area.Width + 2 * Bleed)).Append("\" height=\"").Append(N(area.Height + 2 * Bleed))
            .Append("\" viewBox=\"").Append(N(-Bleed)).Append(' ').Append(N(-Bleed)).Append(' ').Append(N(area.Width + 2 * Bleed)).Append(' ')
            .Append(N(area.Height + 2 * Bleed)).Append("\" overflow=\"hidden\">");

    public void ClosePlot() => _body.Append("</svg>");

    public void OpenGroup(string cssClass, string? name = null)
    {
        _body.Append("<g class=\"").Append(cssClass).Append('"');
        if (name is not null) _body.Append(" data-name=\"").Append(Escape(name)).Append('"');
        _body.Append('>');
    }

    public void CloseGroup() => _body.Append("</g>");

    /// <summary>The whole chart: root element with its accessible name (title) and description (the text alternative), then the body.</summary>
    public string Document(double height, string title, string altText)
    {
        var svg = new StringBuilder(_body.Length + 400);
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(N(Width)).Append(' ').Append(N(height))
            .Append("\" width=\"").Append(N(Width)).Append("\" height=\"").Append(N(height))
            .Append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"").Append(N(FontSize))
            .Append("\" fill=\"").Append(TextColour).Append("\">")
            .Append("<title>").Append(Escape(title)).Append("</title><desc>").Append(Escape(altText)).Append("</desc>")
            .Append(_body)
            .Append("</svg>");
        return svg.ToString();
    }
}
