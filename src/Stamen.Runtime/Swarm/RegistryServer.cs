using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Stamen.Runtime.Security;

namespace Stamen.Runtime.Swarm;

/// <summary>
/// The registry: block servers announce themselves (model, block range, free sessions, measured throughput) every few
/// seconds; clients list the servers heard from within the time-to-live. Forgetting silent servers is how a dead
/// server leaves the swarm.
/// </summary>
/// <remarks>
/// With a swarm key every request but /health must be signed by a trusted key, and an entry belongs to the key that first
/// announced it: only that key may update or delete it (403 otherwise). Announcements are rate-limited per sending address
/// (a token bucket of <see cref="AnnounceBurst"/>, refilled at <see cref="AnnouncesPerSec"/> per second), one address holds at most
/// <see cref="MaxEntriesPerAddress"/> entries, the whole registry <see cref="MaxEntries"/>, and entries not heard from within the
/// time-to-live are pruned.
/// </remarks>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Entry> _servers = new();
    private readonly Lock _gate = new();
    private readonly double _ttlSec;
    private readonly PartitionedRateLimiter<string> _announceLimiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = AnnounceBurst,
            TokensPerPeriod = AnnouncesPerSec,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private sealed record Entry(BlockServerInfo Info, long SeenTicks, string? Owner, string Address);

    private RegistryServer(WebApplication app, double ttlSec)
    {
        _app = app;
        _ttlSec = ttlSec;
    }

    /// <summary>Announcements one address may send at once, and per second after that.</summary>
    public const int AnnounceBurst = 200, AnnouncesPerSec = 50;

    /// <summary>Most entries announced from one address.</summary>
    public const int MaxEntriesPerAddress = 1_000;

    public Uri Address { get; private set; } = null!;

    /// <summary>What Kestrel listens on, as it reports it (e.g. <c>http://127.0.0.1:5123</c>): where the server can be reached from.</summary>
    public IReadOnlyList<string> ListenAddresses { get; private set; } = [];

    /// <summary>Servers heard from within the time-to-live, by server id.</summary>
    public IReadOnlyList<BlockServerInfo> Live
    {
        get
        {
            var now = Stopwatch.GetTimestamp();
            return [.. _servers.Values.Where(s => Stopwatch.GetElapsedTime(s.SeenTicks, now).TotalSeconds <= _ttlSec)
                .Select(s => s.Info).OrderBy(i => i.ServerId, StringComparer.Ordinal)];
        }
    }

    /// <summary>A registry on loopback.</summary>
    public static Task<RegistryServer> StartAsync(int port = 0, double ttlSec = 6, CancellationToken cancellationToken = default) =>
        StartAsync(System.Net.IPAddress.Loopback, port, ttlSec, cancellationToken: cancellationToken);

    /// <summary>A registry on <paramref name="host"/> (<see cref="System.Net.IPAddress.Any"/> exposes it to the network).</summary>
    /// <param name="key">The swarm's keys: when given, only signed requests are served and entries belong to their keys.</param>
    public static async Task<RegistryServer> StartAsync(System.Net.IPAddress host, int port, double ttlSec = 6, SwarmKey? key = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var app = KestrelApp.Create(host, port, 64 * 1024, key is null ? null : new RequestVerifier(key));
        var registry = new RegistryServer(app, ttlSec);
        app.MapPost("/announce", async (HttpContext context) =>
        {
            var request = context.Request;
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "?";
            using (var lease = registry._announceLimiter.AttemptAcquire(address))
                if (!lease.IsAcquired)
                    return KestrelApp.Refuse("rate_limited", $"at most {AnnouncesPerSec} announcements per second from one address",
                        StatusCodes.Status429TooManyRequests);
            BlockServerInfo? info;
            try
            {
                info = await request.ReadFromJsonAsync(RuntimeJson.Default.BlockServerInfo).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                return KestrelApp.Refuse("bad_request", "the body is not a server announcement", StatusCodes.Status400BadRequest);
            }
            if (info is null || string.IsNullOrEmpty(info.ServerId) || info.StartBlock < 0 || info.EndBlock <= info.StartBlock)
                return KestrelApp.Refuse("bad_request", "server_id and a block range start_block < end_block are required", StatusCodes.Status400BadRequest);
            if (Problem(info) is { } problem) return KestrelApp.Refuse("bad_request", problem, StatusCodes.Status400BadRequest);
            var signer = context.Items[KestrelApp.SignerItem] as string;
            registry.Prune();
            lock (registry._gate)
            {
                if (registry._servers.TryGetValue(info.ServerId, out var known))
                {
                    if (known.Owner != signer)
                        return KestrelApp.Refuse("forbidden", $"server '{info.ServerId}' was registered by another key", StatusCodes.Status403Forbidden);
                }
                else
                {
                    if (registry._servers.Count >= MaxEntries)
                        return KestrelApp.Refuse("registry_full", $"the registry holds {MaxEntries} servers", StatusCodes.Status503ServiceUnavailable);
                    if (registry._servers.Values.Count(e => e.Address == address) >= MaxEntriesPerAddress)
                        return KestrelApp.Refuse("registry_full", $"one address may register at most {MaxEntriesPerAddress} servers",
                            StatusCodes.Status503ServiceUnavailable);
                }
                registry._servers[info.ServerId] = new Entry(info, Stopwatch.GetTimestamp(), signer, address);
            }
            return Results.Ok();
        });
        app.MapGet("/servers", () =>
        {
            registry.Prune();
            return Results.Json(registry.Live, RuntimeJson.Default.IReadOnlyListBlockServerInfo);
        });
        app.MapDelete("/servers/{id}", (string id, HttpContext context) =>
        {
            lock (registry._gate)
            {
                if (!registry._servers.TryGetValue(id, out var known)) return Results.NotFound();
                if (known.Owner != context.Items[KestrelApp.SignerItem] as string)
                    return KestrelApp.Refuse("forbidden", $"server '{id}' was registered by another key", StatusCodes.Status403Forbidden);
                registry._servers.TryRemove(id, out _);
                return Results.NoContent();
            }
        });
        app.MapGet("/health", () => Results.Text("ok"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        registry.Address = KestrelApp.AddressOf(app);
        registry.ListenAddresses = KestrelApp.ListenAddresses(app);
        return registry;
    }

    /// <summary>Most servers the registry holds at once (an announcement flood cannot grow it further).</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Entries stored, live or not yet pruned (for tests).</summary>
    internal int StoredCount => _servers.Count;

    /// <summary>
    /// <paramref name="text"/> as an absolute http(s) URL with a host, or null: the one URL rule for announcements, the command
    /// line and clients (a <c>file:</c> URL or a relative one is never followed).
    /// </summary>
    public static Uri? HttpUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && !string.IsNullOrEmpty(url.Host) ? url : null;

    /// <summary>What is wrong with an announcement's fields, or null: every field a client will read is bounded, and the URL must be http(s).</summary>
    internal static string? Problem(BlockServerInfo info)
    {
        if (info.ServerId.Length > 256 || info.Model is null || info.Model.Length is 0 or > 256) return "server_id and model must be 1..256 characters";
        if (info.Url is null || info.Url.Length > 2048 || HttpUrl(info.Url) is null) return "url must be an absolute http or https URL";
        if (info.EndBlock > 1_000_000 || info.HiddenSize is < 1 or > 1_000_000 || info.MaxTokensPerSession is < 1 or > 100_000_000
            || info.FreeSessions is < 0 or > 1_000_000 || !(info.ThroughputTokensPerSec >= 0 && info.ThroughputTokensPerSec <= 1e12))
            return "block range, hidden_size, max_tokens_per_session, free_sessions and throughput_tokens_per_s must be within bounds";
        return null;
    }

    /// <summary>Forgets entries not heard from within the time-to-live, so expired announcements do not hold memory.</summary>
    private void Prune()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
            foreach (var (id, entry) in _servers)
                if (Stopwatch.GetElapsedTime(entry.SeenTicks, now).TotalSeconds > _ttlSec) _servers.TryRemove(id, out _);
    }

    public async ValueTask DisposeAsync()
    {
        _announceLimiter.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Where a client learns which servers exist.</summary>
public interface IServerDirectory
{
    Task<IReadOnlyList<BlockServerInfo>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Servers from a registry's GET /servers.</summary>
public sealed class RegistryDirectory(HttpClient http, Uri registry) : IServerDirectory
{
    public async Task<IReadOnlyList<BlockServerInfo>> ListAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync(new Uri(registry, "/servers"), RuntimeJson.Default.ListBlockServerInfo, cancellationToken).ConfigureAwait(false) ?? [];
}

/// <summary>A fixed list of servers, asked for their /info (tests, and swarms without a registry).</summary>
public sealed class StaticDirectory(HttpClient http, IReadOnlyList<Uri> servers) : IServerDirectory
{
    public async Task<IReadOnlyList<BlockServerInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var live = new List<BlockServerInfo>();
        foreach (var s in servers)
        {
            try
            {
                if (await http.GetFromJsonAsync(new Uri(s, "/info"), RuntimeJson.Default.BlockServerInfo, cancellationToken).ConfigureAwait(false) is { } info) live.Add(info);
            }
            catch (HttpRequestException)
            {
                // A server that does not answer is not part of the swarm now.
            }
        }
        return live;
    }
}
