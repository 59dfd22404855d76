using System.Reflection;

namespace Stamen.Scenarios;

/// <summary>Scenarios shipped inside the library, so the main command works on a fresh machine.</summary>
public static class BuiltinScenarios
{
    public const string DefaultName = "default";

    public static string DefaultYaml => Read(DefaultName);

    /// <summary>Loads <paramref name="pathOrName"/>: null or "default" for the built-in default, else a file.</summary>
    public static ScenarioDefinition Load(string? pathOrName) =>
        pathOrName is null || pathOrName == DefaultName
            ? ScenarioParser.ParseText(DefaultYaml, "(built-in default scenario)", Directory.GetCurrentDirectory())
            : ScenarioParser.ParseFile(pathOrName);

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Stamen.Scenarios.{name}.yaml")
            ?? throw new InvalidOperationException($"built-in scenario '{name}' is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
