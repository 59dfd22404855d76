namespace Stamen.Tests;

/// <summary>
/// The data the repository carries (<c>data/</c> at the repository root, found by walking up from
/// the test assembly). Fails loudly when a file is missing rather than letting a data-dependent
/// test pass silently.
/// </summary>
internal static class RepositoryData
{
    public static string PathTo(string relative)
    {
        var path = Path.Combine(Scenarios.ScenarioFiles.RepositoryRoot, "data", relative);
        Assert.True(File.Exists(path), $"repository data file {path} is missing");
        return path;
    }
}
