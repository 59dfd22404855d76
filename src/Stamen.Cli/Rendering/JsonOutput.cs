using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Stamen.IO;
using Stamen.Reporting;

namespace Stamen.Cli.Rendering;

/// <summary>Writes results as snake_case JSON, atomically.</summary>
/// <remarks>
/// Every type written or read goes through <see cref="CliJson"/>, generated at build time, never through reflection: the
/// Native AOT command writes what the JIT build writes, and a type missing from the context fails every build's tests alike.
/// </remarks>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        // The context's own options (snake_case, indented, named floating-point literals), with the enum converters added.
        var options = new JsonSerializerOptions(CliJson.Default.Options) { TypeInfoResolver = CliJson.Default };
        foreach (var converter in CliJson.EnumConverters(JsonNamingPolicy.KebabCaseLower)) options.Converters.Add(converter);
        options.MakeReadOnly();
        return options;
    }

    /// <summary>The generated metadata of <typeparamref name="T"/> under <see cref="Options"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    public static void Write<T>(string path, T value) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, TypeInfo<T>()) + Environment.NewLine);

    /// <summary>
    /// Writes <paramref name="value"/>'s fields as they are, plus its report as the top-level property <c>report</c>, which
    /// `stamen report` renders again.
    /// </summary>
    public static void Write<T>(string path, T value, Report report)
    {
        var root = JsonSerializer.SerializeToNode(value, TypeInfo<T>())?.AsObject()
            ?? throw new ArgumentException("the results must serialize to a JSON object", nameof(value));
        root["report"] = JsonSerializer.SerializeToNode(report, TypeInfo<Report>());
        AtomicFile.WriteAllText(path, root.ToJsonString(Options) + Environment.NewLine);
    }
}
