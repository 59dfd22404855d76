namespace Stamen.Bench;

/// <summary>The repository's data/ folder, found from the working folder upwards (benchmarks run from anywhere in the clone).</summary>
internal static class RepositoryData
{
    /// <summary>data/<paramref name="relative"/> (a file or a folder) in the nearest data/ above the working folder that has it, or null.</summary>
    public static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
