using System.Globalization;
using Stamen.Runtime.Model;

namespace Stamen.Cli.Commands;

/// <summary>Option values that are comma-separated lists or block ranges: parsed in one place, every bad item named with a fix.</summary>
internal static class ListArguments
{
    /// <summary>Whole numbers in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="what"/> says what each must be.</summary>
    public static int[] Ints(string option, string text, int min, int max, string what, string fix)
    {
        var values = Items(text).Select(part =>
            int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v
                : throw new StamenInputException(option, part, $"is not {what}", fix)).ToArray();
        return values.Length > 0 ? values : throw new StamenInputException(option, "(empty)", "no values given", fix);
    }

    /// <summary>Finite numbers of at least <paramref name="min"/> (above it when <paramref name="exclusiveMin"/>).</summary>
    public static double[] Doubles(string option, string text, double min, bool exclusiveMin, string what, string fix)
    {
        var values = Items(text).Select(part =>
            double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && (exclusiveMin ? v > min : v >= min)
                ? v
                : throw new StamenInputException(option, part, $"is not {what}", fix)).ToArray();
        return values.Length > 0 ? values : throw new StamenInputException(option, "(empty)", "no values given", fix);
    }

    /// <summary>A block range START:END (end exclusive) within a model of <paramref name="blocks"/> blocks.</summary>
    public static BlockRange Range(string option, string text, int blocks, string fix)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var end) || start < 0 || end > blocks || start >= end)
            throw new StamenInputException(option, text, $"is not a block range within 0:{blocks}", fix);
        return new BlockRange(start, end);
    }

    private static string[] Items(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
