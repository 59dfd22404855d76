using System.Globalization;
using System.Text;

namespace Stamen.IO;

/// <summary>
/// Reads a user's input file after checking it exists, is a file, and is no larger than the caller allows. Only the bytes
/// the file system reports are read, so a device (<c>/dev/zero</c>), a FIFO or a file that grows while read cannot make a
/// read endless: such a path reports no size and reads as empty, and the parser then says what it expected.
/// </summary>
public static class BoundedFile
{
    /// <summary>Largest scenario, catalog, profile or results file read (the examples are a few KiB).</summary>
    public const long MaxTextBytes = 64L << 20;

    /// <summary>Largest data file read (traces, RTT matrices, datasets): the repository's are a few MiB.</summary>
    public const long MaxDataBytes = 1L << 30;

    /// <summary>The file's text; an input error naming it when it is missing, too large or unreadable.</summary>
    /// <param name="what">What the file should be, for messages ("Helix cluster", "LP").</param>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        var bytes = ReadAllBytes(path, maxBytes, what);
        // As File.ReadAllText: a byte-order mark picks the encoding, UTF-8 otherwise.
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The file's bytes, checked as <see cref="ReadAllText"/>.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        using var stream = OpenRead(path, maxBytes, what);
        var bytes = new byte[stream.Length];
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StamenInputException(path, "(file)", $"cannot read: {e.Message}", "check the file");
        }
        return bytes;
    }

    /// <summary>
    /// A stream over the file's bytes as its size was when checked (at most <paramref name="maxBytes"/>), for readers that
    /// stream; a path that is not a regular file with a size reads as empty without being opened.
    /// </summary>
    public static Stream OpenRead(string path, long maxBytes, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        var length = CheckedLength(path, maxBytes, what);
        if (length == 0) return new MemoryStream([], writable: false);
        try
        {
            return new LimitedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StamenInputException(path, "(file)", $"cannot read: {e.Message}", "check the file and its permissions");
        }
    }

    /// <summary>The file's size after the checks: it exists, is not a folder, and is at most <paramref name="maxBytes"/>.</summary>
    public static long CheckedLength(string path, long maxBytes, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new StamenInputException("(command line)", "path", $"the {what} path is empty", "give a file path");
        if (Directory.Exists(path)) throw new StamenInputException(path, "(file)", $"is a folder, not a {what} file", "give the file inside it");
        FileInfo info;
        try
        {
            info = new FileInfo(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new StamenInputException(path, "(file)", $"is not a usable path: {e.Message}", "check the path");
        }
        if (!info.Exists) throw new StamenInputException(path, "(file)", $"{what} file not found (looked at {info.FullName})", "check the path");
        if (info.Length > maxBytes)
            throw new StamenInputException(path, "(file)", string.Create(CultureInfo.InvariantCulture, $"{info.Length} bytes, more than the {maxBytes} a {what} file may have"),
                $"check that this is a {what} file");
        return info.Length;
    }

    /// <summary>A read-only view of the first <c>length</c> bytes of a stream.</summary>
    private sealed class LimitedStream(Stream inner, long length) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var left = length - _read;
            if (left <= 0) return 0;
            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
            _read += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
