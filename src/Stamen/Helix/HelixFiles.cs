using System.Globalization;

namespace Stamen.Helix;

/// <summary>What Helix's files share: bounded reading, INI sections and small CSV tables.</summary>
internal static class HelixFiles
{
    /// <summary>INI sections: name -> key -> value; comments start with # or ;. A key outside a section or twice in one is an error.</summary>
    public static Dictionary<string, Dictionary<string, string>> Sections(string text, string file)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        string? currentName = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                    throw new StamenInputException(file, $"line {lineNumber}", $"'{line}' is not a section header", "write [SectionName]");
                currentName = line[1..^1].Trim();
                if (!sections.TryAdd(currentName, current = new Dictionary<string, string>(StringComparer.Ordinal)))
                    throw new StamenInputException(file, $"[{currentName}] (line {lineNumber})", "appears twice", "keep one section of each name");
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new StamenInputException(file, $"line {lineNumber}", $"'{line}' is not key=value", "write key=value under a [Section]");
            if (current is null) throw new StamenInputException(file, $"line {lineNumber}", "a key before any [Section]", "put keys under a section header");
            var key = line[..eq].Trim();
            if (!current.TryAdd(key, line[(eq + 1)..].Trim()))
                throw new StamenInputException(file, $"[{currentName}] {key} (line {lineNumber})", "given twice", "keep one value");
        }
        return sections;
    }

    /// <summary>Rows of a CSV with the given header (comma-separated, no quoting: Helix's tables are plain numbers and names).</summary>
    public static IEnumerable<(int Line, string[] Fields)> Csv(string text, string file, params string[] header)
    {
        var lines = text.Split('\n');
        var first = lines.Length == 0 ? "" : lines[0].Trim();
        if (first != string.Join(',', header))
            throw new StamenInputException(file, "line 1", $"header is '{first}'", $"start the file with {string.Join(',', header)}");
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != header.Length)
                throw new StamenInputException(file, $"line {i + 1}", $"{fields.Length} fields, the header has {header.Length}", $"write {string.Join(',', header)}");
            yield return (i + 1, fields);
        }
    }

    public static double Number(string text, string file, int line, string column)
    {
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0 ? v
            : throw new StamenInputException(file, $"line {line}, {column}", $"'{text}' is not a number of 0 or more", "write a plain number");
    }
}
