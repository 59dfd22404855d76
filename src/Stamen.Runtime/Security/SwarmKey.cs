using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Stamen.Runtime.Security;

/// <summary>
/// The keys of a private swarm (<c>--swarm-key-file</c>). The first key is this process's own: it signs every request the
/// process sends. Every key in the file is trusted: a request signed by any of them is accepted. A swarm whose members all
/// share one key needs a one-line file; a registry that should tell members apart trusts one key per member, and each
/// member's file starts with its own key. A key is 32 or more random bytes written as hex (<c>stamen swarm-key</c> writes one).
/// </summary>
public sealed class SwarmKey
{
    /// <summary>Fewest bytes a key may have: 128 bits.</summary>
    public const int MinKeyBytes = 16;

    /// <summary>Most keys a file may hold, and the largest file read.</summary>
    public const int MaxKeys = 10_000;

    private const long MaxFileBytes = 1 << 20;

    private readonly Dictionary<string, byte[]> _trusted;

    private SwarmKey(byte[] own, Dictionary<string, byte[]> trusted)
    {
        Own = own;
        OwnId = IdOf(own);
        _trusted = trusted;
    }

    /// <summary>This process's key id: the first 16 hex digits of the key's SHA-256 (names the key without revealing it).</summary>
    public string OwnId { get; }

    private byte[] Own { get; }

    /// <summary>Ids of every trusted key.</summary>
    public IReadOnlyCollection<string> TrustedIds => _trusted.Keys;

    /// <summary>A key ring from raw keys: the first signs, all are trusted.</summary>
    public static SwarmKey FromKeys(IReadOnlyList<byte[]> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) throw new ArgumentException("at least one key is needed", nameof(keys));
        var trusted = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key.Length < MinKeyBytes) throw new ArgumentException($"a key needs at least {MinKeyBytes} bytes", nameof(keys));
            trusted[IdOf(key)] = key;
        }
        return new SwarmKey(keys[0], trusted);
    }

    /// <summary>A fresh random key, as hex text.</summary>
    public static string NewKeyHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Reads a key file: one hex key per line, blank lines and <c>#</c> comments ignored. Bad files are the user's error, named.</summary>
    public static SwarmKey Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = Stamen.IO.BoundedFile.ReadAllText(path, MaxFileBytes, "swarm key");
        var keys = new List<byte[]>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            byte[] key;
            try
            {
                key = Convert.FromHexString(line);
            }
            catch (FormatException)
            {
                throw new StamenInputException(path, $"line {lineNumber}", "is not a hex key", "write keys as hex, one per line, e.g. with `stamen swarm-key PATH`");
            }
            if (key.Length < MinKeyBytes)
                throw new StamenInputException(path, $"line {lineNumber}", $"the key has {key.Length} bytes; at least {MinKeyBytes} are needed", "write a longer key with `stamen swarm-key PATH`");
            if (keys.Count == MaxKeys) throw new StamenInputException(path, $"line {lineNumber}", $"more than {MaxKeys} keys", "trust fewer keys");
            keys.Add(key);
        }
        if (keys.Count == 0) throw new StamenInputException(path, "(file)", "holds no key", "write one with `stamen swarm-key PATH`");
        return FromKeys(keys);
    }

    /// <summary>The id of <paramref name="key"/>.</summary>
    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    /// <summary>The signature of a request by this process's key.</summary>
    public string Sign(string method, string pathAndQuery, long timestampMs, string nonce, ReadOnlySpan<byte> body) =>
        Signature(Own, method, pathAndQuery, timestampMs, nonce, body);

    /// <summary>Whether <paramref name="signature"/> is a trusted key's (<paramref name="keyId"/>) signature of the request.</summary>
    public bool Verify(string keyId, string method, string pathAndQuery, long timestampMs, string nonce, ReadOnlySpan<byte> body, string signature)
    {
        if (!_trusted.TryGetValue(keyId, out var key)) return false;
        var expected = Encoding.ASCII.GetBytes(Signature(key, method, pathAndQuery, timestampMs, nonce, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>HMAC-SHA256 over the method, path, timestamp, nonce and the body's SHA-256, as lowercase hex.</summary>
    private static string Signature(byte[] key, string method, string pathAndQuery, long timestampMs, string nonce, ReadOnlySpan<byte> body)
    {
        var message = string.Join('\n', method.ToUpperInvariant(), pathAndQuery, timestampMs.ToString(CultureInfo.InvariantCulture), nonce,
            Convert.ToHexStringLower(SHA256.HashData(body)));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message)));
    }
}
