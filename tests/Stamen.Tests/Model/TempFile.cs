namespace Stamen.Tests.Model;

/// <summary>A file under the temp folder, deleted when disposed; tests write configs and topologies here.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string extension, string contents)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stamen-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(Path, contents);
    }

    public string Path { get; }

    public void Dispose()
    {
        if (File.Exists(Path)) File.Delete(Path);
    }
}
