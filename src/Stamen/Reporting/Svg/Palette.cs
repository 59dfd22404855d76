namespace Stamen.Reporting.Svg;

internal enum MarkerShape
{
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// <summary>How one series is drawn: colour, dash pattern (null for solid) and marker.</summary>
internal sealed record SeriesStyle(string Colour, string? Dash, MarkerShape Marker);

/// <summary>
/// The Okabe-Ito colours, which stay distinguishable with the common colour-vision deficiencies. After eight series the
/// colours repeat with another dash pattern and marker, so series 1 and 9 still differ.
/// </summary>
internal static class Palette
{
    // Okabe & Ito (2008), reordered so the first few have the most contrast on white; yellow comes late.
    private static readonly string[] Colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];
    private static readonly string?[] Dashes = [null, "6 3", "2 2", "8 3 2 3"];
    private static readonly MarkerShape[] Markers = [MarkerShape.Circle, MarkerShape.Square, MarkerShape.Triangle, MarkerShape.Diamond];

    public const string Muted = "#8c959f";

    /// <summary>White or near-black, whichever reads better on <paramref name="colour"/> (#RRGGBB), by relative luminance.</summary>
    public static string TextOn(string colour)
    {
        static double Channel(string hex) => Math.Pow(Convert.ToInt32(hex, 16) / 255.0, 2.2);
        var luminance = 0.2126 * Channel(colour[1..3]) + 0.7152 * Channel(colour[3..5]) + 0.0722 * Channel(colour[5..7]);
        return luminance > 0.25 ? SvgCanvas.TextColour : "#ffffff";
    }

    public static SeriesStyle For(int index)
    {
        var round = index / Colours.Length;
        return new SeriesStyle(Colours[index % Colours.Length], Dashes[round % Dashes.Length], Markers[round % Markers.Length]);
    }

    /// <summary>
    /// Each distinct name's index in order of first appearance: a name keeps one colour within a chart even when it
    /// names several series (the same algorithm in two panels of data).
    /// </summary>
    public static IReadOnlyList<int> Indexes(IEnumerable<string> names, out IReadOnlyList<string> distinct)
    {
        var seen = new List<string>();
        var indexes = new List<int>();
        foreach (var name in names)
        {
            var at = seen.IndexOf(name);
            if (at < 0)
            {
                at = seen.Count;
                seen.Add(name);
            }
            indexes.Add(at);
        }
        distinct = seen;
        return indexes;
    }
}
