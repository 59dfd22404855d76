namespace Stamen;

/// <summary>
/// A user mistake in an input file or option: names the file, the field and the fix, so the CLI
/// prints one clear line instead of a stack trace.
/// </summary>
public sealed class StamenInputException : Exception
{
    public StamenInputException(string file, string field, string problem, string fix)
        : base(Format(file, field, problem, fix))
    {
        File = file;
        Field = field;
        Problem = problem;
        Fix = fix;
    }

    public StamenInputException() : this("(input)", "(unknown)", "invalid input", "check the input") { }

    public StamenInputException(string message) : this("(input)", "(unknown)", message, "check the input") { }

    public StamenInputException(string message, Exception innerException) : base(message, innerException)
    {
        File = "(input)";
        Field = "(unknown)";
        Problem = message;
        Fix = "check the input";
    }

    private StamenInputException(string file, IReadOnlyList<(string Field, string Problem, string Fix)> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => Format(file, p.Field, p.Problem, p.Fix))))
    {
        File = file;
        Field = problems[0].Field;
        Problem = problems[0].Problem;
        Fix = problems[0].Fix;
        Count = problems.Count;
    }

    /// <summary>Every problem found in one file at once, one line each (the first also fills the properties).</summary>
    public static StamenInputException Many(string file, IReadOnlyList<(string Field, string Problem, string Fix)> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0) throw new ArgumentException("At least one problem is needed.", nameof(problems));
        return problems.Count == 1 ? new StamenInputException(file, problems[0].Field, problems[0].Problem, problems[0].Fix) : new(file, problems);
    }

    /// <summary>How many problems the message lists.</summary>
    public int Count { get; } = 1;

    public string File { get; }
    public string Field { get; }
    public string Problem { get; }
    public string Fix { get; }

    private static string Format(string file, string field, string problem, string fix) =>
        $"{file}: {field}: {problem}. Fix: {fix}.";
}
