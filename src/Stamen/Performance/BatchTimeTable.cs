using System.Globalization;

namespace Stamen.Performance;

/// <summary>
/// Milliseconds one layer takes for a batch of a given size (Helix's <c>decode_bs2time.csv</c> and
/// <c>prompt_bs2time.csv</c>: batch tokens -> ms per layer), interpolated linearly between measured
/// points and extended past the last one along the last segment's slope (our choice: Helix's tables stop
/// at the batch caps its planner allows, and a batch past them is rarer than a crash).
/// </summary>
public sealed class BatchTimeTable
{
    private readonly double[] _tokens;
    private readonly double[] _ms;

    /// <param name="points">(batch tokens, ms per layer), batch sizes strictly increasing, at least two.</param>
    public BatchTimeTable(IReadOnlyList<(double Tokens, double Ms)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2) throw new ArgumentException("A batch time table needs at least two points.", nameof(points));
        _tokens = new double[points.Count];
        _ms = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            if (i > 0 && points[i].Tokens <= points[i - 1].Tokens)
                throw new ArgumentException($"Batch sizes must increase (point {i}: {points[i].Tokens} after {points[i - 1].Tokens}).", nameof(points));
            if (!(points[i].Ms >= 0) || !double.IsFinite(points[i].Ms)) throw new ArgumentException($"Point {i}: time must be finite and >= 0.", nameof(points));
            (_tokens[i], _ms[i]) = points[i];
        }
    }

    /// <summary>Largest batch measured.</summary>
    public double MaxTokens => _tokens[^1];

    /// <summary>Ms per layer for a batch of <paramref name="tokens"/> (0 for an empty batch).</summary>
    public double MsPerLayer(double tokens)
    {
        if (tokens <= 0) return 0;
        var hi = Array.BinarySearch(_tokens, tokens);
        if (hi >= 0) return _ms[hi];
        hi = ~hi;
        if (hi == 0) hi = 1;
        if (hi == _tokens.Length) hi = _tokens.Length - 1;
        var lo = hi - 1;
        var t = (tokens - _tokens[lo]) / (_tokens[hi] - _tokens[lo]);
        return Math.Max(0, _ms[lo] + t * (_ms[hi] - _ms[lo]));
    }

    /// <summary>Reads a headerless two-column CSV (batch tokens, ms per layer), as Helix writes them.</summary>
    public static BatchTimeTable Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var points = new List<(double, double)>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != 2) throw new StamenInputException(file, $"line {lineNumber}", $"{f.Length} fields", "write batch_tokens,ms_per_layer");
            var tokens = Number(f[0], file, lineNumber, "batch tokens");
            var ms = Number(f[1], file, lineNumber, "ms per layer");
            if (points.Count > 0 && tokens <= points[^1].Item1)
                throw new StamenInputException(file, $"line {lineNumber}", $"batch size {tokens} does not increase", "sort the rows by batch size, one row per size");
            if (points.Count >= MaxPoints) throw new StamenInputException(file, "(file)", $"more than {MaxPoints} rows", "keep the measured points only");
            points.Add((tokens, ms));
        }
        if (points.Count < 2) throw new StamenInputException(file, "(file)", "fewer than two rows", "give at least two measured batch sizes");
        return new BatchTimeTable(points);
    }

    /// <summary>Most rows a table may have.</summary>
    public const int MaxPoints = 100_000;

    private static double Number(string text, string file, int line, string column) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0 ? v
            : throw new StamenInputException(file, $"line {line}, {column}", $"'{text}' is not a number of 0 or more", "write a plain number");
}
