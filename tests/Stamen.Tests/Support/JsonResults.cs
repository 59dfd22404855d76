using System.Text.Json.Nodes;

namespace Stamen.Tests.Support;

/// <summary>Results JSON as two runs of the same inputs must agree on it.</summary>
internal static class JsonResults
{
    /// <summary>The file's JSON without its wall-clock figures (every <c>timings</c> block) and the command line that wrote it.</summary>
    public static string WithoutWallClock(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Strip(root);
        return root.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            o.Remove("timings");
            o.Remove("command");
            foreach (var (_, child) in o.ToList()) Strip(child);
        }
        else if (node is JsonArray a)
            foreach (var child in a) Strip(child);
    }
}
