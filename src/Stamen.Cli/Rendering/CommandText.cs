using System.CommandLine;
using System.CommandLine.Parsing;

namespace Stamen.Cli.Rendering;

/// <summary>The command line as the user typed it, for a report's "re-run this" line.</summary>
internal static class CommandText
{
    /// <summary>
    /// Where a run wrote its outputs is not part of its results: left out, so the same input gives the same report (and the
    /// same --json) whatever the file names.
    /// </summary>
    private static readonly HashSet<string> OutputOptions = new(StringComparer.Ordinal) { "--json", "--report", "--markdown" };

    public static string Of(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var kept = new List<string> { "stamen" };
        var tokens = parse.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Option && OutputOptions.Contains(tokens[i].Value))
            {
                if (i + 1 < tokens.Count && tokens[i + 1].Type == TokenType.Argument) i++;
                continue;
            }
            kept.Add(Quote(tokens[i].Value));
        }
        return string.Join(' ', kept);
    }

    /// <summary>Quotes an argument with spaces or quotes so the line pastes back into a POSIX shell.</summary>
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
