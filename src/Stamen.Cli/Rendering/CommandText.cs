using System.CommandLine;

namespace Stamen.Cli.Rendering;

/// <summary>The command line as the user typed it, for a report's "re-run this" line.</summary>
internal static class CommandText
{
    public static string Of(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return string.Join(' ', parse.Tokens.Select(t => Quote(t.Value)).Prepend("stamen"));
    }

    /// <summary>Quotes an argument with spaces or quotes so the line pastes back into a POSIX shell.</summary>
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
