namespace Stamen.Tests.Network;

/// <summary>
/// Finds the shared reference data (<c>shared/data</c>) that sits beside the repository (e.g.
/// <c>/work/main</c> next to <c>/work/shared</c>) by walking up from the test assembly. Fails loudly,
/// listing where it looked, rather than letting data-dependent tests pass silently.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string PathTo(string relative)
    {
        var path = System.IO.Path.Combine(Root.Value, relative);
        Assert.True(File.Exists(path), $"shared data file {path} is missing");
        return path;
    }

    private static string Locate()
    {
        var looked = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            looked.Add(candidate);
            if (Directory.Exists(candidate)) return candidate;
        }
        Assert.Fail("shared/data not found beside any parent of the test assembly; looked at: " + string.Join(", ", looked));
        return "";
    }
}
