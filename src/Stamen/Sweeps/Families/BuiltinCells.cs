using System.Reflection;

namespace Stamen.Sweeps.Families;

/// <summary>The YAML files shipped in Sweeps/Builtin/: the built-in sweeps and the study families' default cells.</summary>
public static class BuiltinCells
{
    /// <summary>The text of <c>Sweeps/Builtin/NAME.yaml</c>, or null.</summary>
    public static string? Text(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Stamen.Sweeps.{name}.yaml");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
