namespace Stamen.Sweeps;

/// <summary>
/// Sweeps shipped inside the library (Sweeps/Builtin/): the studies `stamen reproduce` runs that need no scenario files
/// beside them (helix reads the repository's data/ folder),
/// usable by name anywhere (`stamen sweep run split`) and printed with `stamen sweep show NAME`, and the study families'
/// default cells (`base: default`).
/// </summary>
public static class BuiltinSweeps
{
    /// <summary>Built-in sweeps by name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["engine-lora", "split", "milp-gap", "helix"];

    /// <summary>The text of a built-in sweep or cell file (<c>Sweeps/Builtin/NAME.yaml</c>), or null.</summary>
    public static string? Text(string name) => Families.BuiltinCells.Text(name);

    /// <summary>A sweep file, or a built-in sweep by name when no such file exists.</summary>
    public static SweepDefinition Load(string pathOrName)
    {
        ArgumentNullException.ThrowIfNull(pathOrName);
        if (File.Exists(pathOrName) || !Names.Contains(pathOrName)) return SweepParser.ParseFile(pathOrName);
        return SweepParser.ParseText(Text(pathOrName)!, $"(built-in sweep {pathOrName})", Directory.GetCurrentDirectory());
    }
}
