using System.Globalization;

namespace Stamen.IO;

/// <summary>Reads a user's input file whole, after checking it exists and is no larger than the caller allows.</summary>
public static class BoundedFile
{
    /// <summary>The file's text; an input error naming it when it is missing, too large or unreadable.</summary>
    /// <param name="what">What the file should be, for messages ("Helix cluster", "LP").</param>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new StamenInputException(path, "(file)", $"{what} file not found (looked at {info.FullName})", "check the path");
        if (info.Length > maxBytes)
            throw new StamenInputException(path, "(file)", string.Create(CultureInfo.InvariantCulture, $"{info.Length} bytes, more than the {maxBytes} a {what} file may have"),
                $"check that this is a {what} file");
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new StamenInputException(path, "(file)", $"cannot read: {e.Message}", "check the file");
        }
    }
}
