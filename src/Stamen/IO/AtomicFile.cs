using System.Collections.Concurrent;
using System.Text;

namespace Stamen.IO;

/// <summary>
/// Writes an output file so that a failure never leaves half a file: through a temporary sibling and a rename. What is at
/// the path is respected: a symbolic link stays a link (its final target is replaced), and a path that reports no size (a
/// device such as /dev/null, a FIFO, or an empty file) is written in place rather than replaced by a regular file. Temporary
/// files left by an interrupted write are removed when the process exits (Ctrl+C, SIGTERM).
/// </summary>
public static class AtomicFile
{
    private static readonly ConcurrentDictionary<string, byte> InFlight = new(StringComparer.Ordinal);

    static AtomicFile()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var temp in InFlight.Keys)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                    // Best effort at exit.
                }
                catch (UnauthorizedAccessException)
                {
                    // As above.
                }
            }
        };
    }

    /// <summary>Why <paramref name="path"/> cannot be written (empty, a folder, in a missing folder), or null: commands check their outputs before any work.</summary>
    public static string? Problem(string path) => Problem(path, out _);

    /// <param name="full">The file a write lands in (<see cref="Target"/>), when there is no problem.</param>
    private static string? Problem(string path, out string full)
    {
        full = "";
        if (string.IsNullOrWhiteSpace(path)) return "the output path is empty";
        try
        {
            full = Target(path);
        }
        catch (StamenInputException e)
        {
            return e.Problem;
        }
        if (Directory.Exists(full)) return "is a folder; give a file path inside it";
        var dir = Path.GetDirectoryName(full);
        return dir is null || !Directory.Exists(dir) ? $"folder {dir} does not exist; create it or choose another path" : null;
    }

    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents));
    }

    /// <summary>As <see cref="WriteAllText"/>, for bytes.</summary>
    public static void WriteAllBytes(string path, byte[] contents)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(contents);
        if (Problem(path, out var full) is { } problem) throw new StamenInputException(path, "(output path)", problem, "give a file path in an existing folder");
        var dir = Path.GetDirectoryName(full)!;
        try
        {
            if (File.Exists(full) && new FileInfo(full).Length == 0)
            {
                // A device, a FIFO or an empty file: write in place; renaming over it would replace a device with a regular file.
                using var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                if (stream.CanSeek) stream.SetLength(0);
                stream.Write(contents);
                return;
            }
            var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            InFlight[temp] = 0;
            try
            {
                File.WriteAllBytes(temp, contents);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
                InFlight.TryRemove(temp, out _);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StamenInputException(path, "(output path)", $"cannot write: {e.Message}", "check the path, its permissions and the free space");
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

    /// <summary>The file a write to <paramref name="path"/> lands in: the final target of a symbolic link, else the path itself.</summary>
    private static string Target(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new StamenInputException(path, "(output path)", $"is not a usable path: {e.Message}", "give a file path");
        }
        try
        {
            if (File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target) return target.FullName;
        }
        catch (IOException)
        {
            // A link loop: write at the path itself, which fails with the system's message.
        }
        return full;
    }
}
