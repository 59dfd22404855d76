namespace Stamen.IO;

/// <summary>Writes a file through a temporary sibling and a rename, so a failure never leaves half a file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new StamenInputException(path, "(output path)", $"folder {dir} does not exist", "create the folder or choose another path");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temp, contents);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes through a <see cref="TextWriter"/> callback, then renames into place.</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        write(buffer);
        WriteAllText(path, buffer.ToString());
    }
}
