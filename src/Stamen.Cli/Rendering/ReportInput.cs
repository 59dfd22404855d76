using System.Text.Json;
using Stamen.Reporting;

namespace Stamen.Cli.Rendering;

/// <summary>Reads a report back from a command's saved <c>--json</c> results (or from a bare report), to render it again.</summary>
internal static class ReportInput
{
    /// <summary>
    /// The writer's options, stricter on reading: a missing or null field is an error naming its path rather than a
    /// null that fails later, and a chart's "type" may stand anywhere in its object (hand-edited files).
    /// </summary>
    private static readonly JsonSerializerOptions Options = new(JsonOutput.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowOutOfOrderMetadataProperties = true,
    };

    private const string Rerun = "re-run the command with --json PATH to save its results with the report";

    public static Report Read(string path)
    {
        if (!File.Exists(path)) throw new StamenInputException(path, "(file)", "does not exist", "give the path of a JSON file written with --json");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Stamen.IO.BoundedFile.ReadAllBytes(path, Stamen.IO.BoundedFile.MaxTextBytes, "results"), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new StamenInputException(path, Position(e), $"is not JSON ({FirstSentence(e.Message)})", "give a JSON file written with --json");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new StamenInputException(path, "(top level)", "is not a JSON object, so it holds no report", Rerun);
            var (element, field) = root.TryGetProperty("report", out var inner) ? (inner, "report") : (root, "(top level)");
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("sections", out _) || !element.TryGetProperty("title", out _))
                throw new StamenInputException(path, field, "holds no report (an object with kind, title, command, summary and sections)", Rerun);
            if (NullInList(element, field) is { } hole) throw new StamenInputException(path, hole, "is null in a list", Rerun);
            try
            {
                return element.Deserialize((System.Text.Json.Serialization.Metadata.JsonTypeInfo<Report>)Options.GetTypeInfo(typeof(Report))) ?? throw new StamenInputException(path, field, "is null", Rerun);
            }
            catch (JsonException e)
            {
                // e.Path is "$.sections[0].title": name the field from the file's top ("report.sections[0].title").
                var at = e.Path is { Length: > 2 } p ? (field == "report" ? "report" + p[1..] : p[2..]) : field;
                throw new StamenInputException(path, at, $"is not a valid report ({FirstSentence(e.Message)})", Rerun);
            }
        }
    }

    /// <summary>The path of the first null list item (the reader's nullable checks cover fields, not list items).</summary>
    private static string? NullInList(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var at = $"{path}[{index++.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
                    if (item.ValueKind == JsonValueKind.Null) return at;
                    if (NullInList(item, at) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (NullInList(property.Value, path == "(top level)" ? property.Name : $"{path}.{property.Name}") is { } inner) return inner;
                return null;
            default:
                return null;
        }
    }

    private static string Position(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}" : "(file)";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
