using System.Globalization;
using System.Security.Cryptography;

namespace Stamen.Runtime.Security;

/// <summary>
/// Requests between swarm members carry four headers: the signing key's id, the time (Unix milliseconds), a random nonce
/// and an HMAC-SHA256 over the method, path, time, nonce and body (<see cref="SwarmKey.Sign"/>). A receiver accepts a request
/// signed by a trusted key within <see cref="WindowSec"/> of its own clock whose nonce it has not seen: a recorded request
/// replayed later, or replayed at once, is refused.
/// </summary>
public static class SignedRequests
{
    public const string KeyHeader = "X-Stamen-Key";
    public const string TimeHeader = "X-Stamen-Time";
    public const string NonceHeader = "X-Stamen-Nonce";
    public const string SignatureHeader = "X-Stamen-Signature";

    /// <summary>How far a request's time may be from the receiver's, either way (clocks of members must agree this well).</summary>
    public const double WindowSec = 30;

    /// <summary>A fresh nonce: 16 random bytes as hex.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>Signs every request an <see cref="HttpClient"/> sends with this process's swarm key.</summary>
public sealed class SigningHandler(SwarmKey key, TimeProvider? clock = null) : DelegatingHandler(new HttpClientHandler())
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var time = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var nonce = SignedRequests.NewNonce();
        var path = request.RequestUri!.PathAndQuery;
        request.Headers.Add(SignedRequests.KeyHeader, key.OwnId);
        request.Headers.Add(SignedRequests.TimeHeader, time.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignedRequests.NonceHeader, nonce);
        request.Headers.Add(SignedRequests.SignatureHeader, key.Sign(request.Method.Method, path, time, nonce, body));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Checks signed requests (<see cref="SignedRequests"/>): trusted key, time within the window, a nonce not seen within it.
/// The nonce memory is bounded: it holds the nonces of the last window, at most <see cref="MaxNonces"/>; when full it refuses
/// new requests until old nonces age out, rather than forget one early (which would let it be replayed).
/// </summary>
public sealed class RequestVerifier(SwarmKey key, TimeProvider? clock = null)
{
    /// <summary>Most nonces remembered (a window's worth of requests at 10,000 per second would be 300,000).</summary>
    public const int MaxNonces = 1_000_000;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(long ExpiresMs, string Nonce)> _order = new();
    private readonly Lock _gate = new();

    /// <summary>The verified key's id, or why the request is refused.</summary>
    public (string? KeyId, string? Problem) Verify(string method, string pathAndQuery, string? keyId, string? time, string? nonce, string? signature,
        ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(time) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
            return (null, "this swarm needs signed requests (start the client or server with --swarm-key-file)");
        if (nonce.Length > 64 || signature.Length > 128 || keyId.Length > 64) return (null, "malformed signature headers");
        if (!long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var timeMs)) return (null, "malformed time header");
        var nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs((double)nowMs - timeMs) > SignedRequests.WindowSec * 1000)
            return (null, $"the request's time is more than {SignedRequests.WindowSec} s from this machine's clock (replayed, or clocks disagree)");
        if (!key.Verify(keyId, method, pathAndQuery, timeMs, nonce, body, signature)) return (null, "the signature does not match a trusted key");
        lock (_gate)
        {
            while (_order.Count > 0 && _order.Peek().ExpiresMs < nowMs) _seen.Remove(_order.Dequeue().Nonce);
            if (_seen.ContainsKey(nonce)) return (null, "this request was already received (replayed)");
            if (_seen.Count >= MaxNonces) return (null, "too many requests in the replay window; try again shortly");
            var expires = timeMs + (long)(2 * SignedRequests.WindowSec * 1000);
            _seen.Add(nonce, expires);
            _order.Enqueue((expires, nonce));
        }
        return (keyId, null);
    }
}
