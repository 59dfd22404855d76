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

    public string File { get; }
    public string Field { get; }
    public string Problem { get; }
    public string Fix { get; }

    private static string Format(string file, string field, string problem, string fix) =>
        $"{file}: {field}: {problem}. Fix: {fix}.";
}
