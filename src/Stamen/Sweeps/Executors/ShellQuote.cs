namespace Stamen.Sweeps.Executors;

/// <summary>POSIX shell quoting for generated job scripts.</summary>
public static class ShellQuote
{
    /// <summary><paramref name="value"/> in single quotes, each inner quote written '\''.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
