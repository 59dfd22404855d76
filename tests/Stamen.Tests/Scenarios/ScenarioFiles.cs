using Stamen.Scenarios;

namespace Stamen.Tests.Scenarios;

/// <summary>
/// Scenario files for tests: the repository's examples (their data paths point into the
/// repository's <c>data/</c>), and scratch scenarios written to a temporary folder.
/// </summary>
internal static class ScenarioFiles
{
    public static readonly IReadOnlyList<string> ExampleNames =
        ["clustered.yaml", "measured-deployment.yaml", "scattered-abovenet.yaml", "scattered-bellcanada.yaml", "scattered-gtsce.yaml"];

    private static readonly Lazy<string> Root = new(LocateRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string ExamplePath(string name) => Path.Combine(RepositoryRoot, "examples", name);

    /// <summary>Parses an example as the CLI would: relative paths from the example's folder.</summary>
    public static ScenarioDefinition LoadExample(string name)
    {
        var path = ExamplePath(name);
        return ScenarioParser.ParseText(File.ReadAllText(path), path, Path.GetDirectoryName(path)!);
    }

    public static ScenarioResolver ResolveExample(string name, bool withoutFixedDelays = false) =>
        ScenarioResolver.Create(LoadExample(name), withoutFixedDelays);

    /// <summary>A small valid scenario: BLOOM-176B on 12 generated servers of a synthetic WAN.</summary>
    public const string Small = """
        name: small
        seed: 3
        runs: 1
        model: bloom-176b
        network:
          synthetic: {nodes: 16, seed: 2}
        servers:
          count: 12
          gpus: {a100-80gb: 0.25, a100-mig-1g.10gb: 0.75}
        clients:
          - {name: user, node: random}
        workload:
          poisson: {rate_per_s: 0.5, requests: 10, prompt_tokens: 20, output_tokens: 64}
        algorithms: [petals, cg-bp+ws-rr]
        """;

    private static string LocateRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "examples")) && Directory.Exists(Path.Combine(dir.FullName, "src", "Stamen")))
                return dir.FullName;
        Assert.Fail("repository root (a folder with examples/ and src/Stamen/) not found above " + AppContext.BaseDirectory);
        return "";
    }
}

/// <summary>A scratch folder under the temp folder, deleted with its files when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stamen-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="name"/> in the folder and returns its full path.</summary>
    public string Write(string name, string contents)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, contents);
        return file;
    }

    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
