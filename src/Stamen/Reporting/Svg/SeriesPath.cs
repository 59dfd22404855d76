namespace Stamen.Reporting.Svg;

/// <summary>Turns a series' values into the pixel runs a polyline draws.</summary>
internal static class SeriesPath
{
    /// <summary>
    /// The placeable points of (x[i], y[i]) in runs: a point that cannot be placed (NaN, infinite, ≤ 0 on a log axis)
    /// ends a run rather than being joined across. Lists of unequal length are read to the shorter.
    /// </summary>
    public static List<List<Pixel>> Runs(XyFrame frame, IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var runs = new List<List<Pixel>>();
        List<Pixel>? run = null;
        var count = Math.Min(xs.Count, ys.Count);
        for (var i = 0; i < count; i++)
        {
            if (frame.Place(xs[i], ys[i]) is not { } pixel)
            {
                run = null;
                continue;
            }
            if (run is null)
            {
                run = [];
                runs.Add(run);
            }
            // Points that land on the same tenth of a pixel add bytes and nothing a reader can see.
            if (run.Count > 0 && SvgCanvas.N(run[^1].X) == SvgCanvas.N(pixel.X) && SvgCanvas.N(run[^1].Y) == SvgCanvas.N(pixel.Y)) continue;
            run.Add(pixel);
        }
        return runs;
    }

    /// <summary>A staircase through the points: the value holds until the next x, then jumps (a CDF, an occupancy trace).</summary>
    public static List<Pixel> Staircase(IReadOnlyList<Pixel> points)
    {
        var stairs = new List<Pixel>(points.Count * 2);
        for (var i = 0; i < points.Count; i++)
        {
            if (i > 0) stairs.Add(new Pixel(points[i].X, points[i - 1].Y));
            stairs.Add(points[i]);
        }
        return stairs;
    }
}
