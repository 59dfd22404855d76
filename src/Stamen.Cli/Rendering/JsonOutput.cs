using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using Stamen.IO;
using Stamen.Reporting;

namespace Stamen.Cli.Rendering;

/// <summary>Writes results as snake_case JSON, atomically.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static void Write<T>(string path, T value) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + Environment.NewLine);

    /// <summary>
    /// Writes <paramref name="value"/>'s fields as they are, plus its report as the top-level property <c>report</c>, which
    /// `stamen report` renders again.
    /// </summary>
    public static void Write<T>(string path, T value, Report report)
    {
        var root = JsonSerializer.SerializeToNode(value, Options)?.AsObject()
            ?? throw new ArgumentException("the results must serialize to a JSON object", nameof(value));
        root["report"] = JsonSerializer.SerializeToNode(report, Options);
        AtomicFile.WriteAllText(path, root.ToJsonString(Options) + Environment.NewLine);
    }
}
