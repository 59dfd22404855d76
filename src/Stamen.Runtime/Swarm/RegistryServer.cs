using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Stamen.Runtime.Swarm;

/// <summary>
/// The registry: block servers announce themselves (model, block range, free sessions, measured throughput) every few
/// seconds; clients list the servers heard from within the time-to-live. Forgetting silent servers is how a dead
/// server leaves the swarm.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (BlockServerInfo Info, long SeenTicks)> _servers = new();
    private readonly double _ttlSec;

    private RegistryServer(WebApplication app, double ttlSec)
    {
        _app = app;
        _ttlSec = ttlSec;
    }

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
        StartAsync(System.Net.IPAddress.Loopback, port, ttlSec, cancellationToken);

    /// <summary>A registry on <paramref name="host"/> (<see cref="System.Net.IPAddress.Any"/> exposes it to the network).</summary>
    public static async Task<RegistryServer> StartAsync(System.Net.IPAddress host, int port, double ttlSec = 6, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var app = KestrelApp.Create(host, port, 64 * 1024);
        var registry = new RegistryServer(app, ttlSec);
        app.MapPost("/announce", async (HttpRequest request) =>
        {
            BlockServerInfo? info;
            try
            {
                info = await request.ReadFromJsonAsync<BlockServerInfo>().ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                return Results.BadRequest(new RefusalBody("bad_request", "the body is not a server announcement"));
            }
            if (info is null || string.IsNullOrEmpty(info.ServerId) || info.StartBlock < 0 || info.EndBlock <= info.StartBlock)
                return Results.BadRequest(new RefusalBody("bad_request", "server_id and a block range start_block < end_block are required"));
            if (Problem(info) is { } problem) return Results.BadRequest(new RefusalBody("bad_request", problem));
            registry.Prune();
            if (!registry._servers.ContainsKey(info.ServerId) && registry._servers.Count >= MaxEntries)
                return Results.Json(new RefusalBody("registry_full", $"the registry holds {MaxEntries} servers"), statusCode: StatusCodes.Status503ServiceUnavailable);
            registry._servers[info.ServerId] = (info, Stopwatch.GetTimestamp());
            return Results.Ok();
        });
        app.MapGet("/servers", () =>
        {
            registry.Prune();
            return Results.Json(registry.Live);
        });
        app.MapDelete("/servers/{id}", (string id) => registry._servers.TryRemove(id, out _) ? Results.NoContent() : Results.NotFound());
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

    /// <summary>What is wrong with an announcement's fields, or null: every field a client will read is bounded, and the URL must be http(s).</summary>
    internal static string? Problem(BlockServerInfo info)
    {
        if (info.ServerId.Length > 256 || info.Model is null || info.Model.Length is 0 or > 256) return "server_id and model must be 1..256 characters";
        if (info.Url is null || info.Url.Length > 2048 || !Uri.TryCreate(info.Url, UriKind.Absolute, out var url)
            || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
            return "url must be an absolute http or https URL";
        if (info.EndBlock > 1_000_000 || info.HiddenSize is < 1 or > 1_000_000 || info.MaxTokensPerSession is < 1 or > 100_000_000
            || info.FreeSessions is < 0 or > 1_000_000 || !(info.ThroughputTokensPerSec >= 0 && info.ThroughputTokensPerSec <= 1e12))
            return "block range, hidden_size, max_tokens_per_session, free_sessions and throughput_tokens_per_s must be within bounds";
        return null;
    }

    /// <summary>Forgets entries not heard from within the time-to-live, so expired announcements do not hold memory.</summary>
    private void Prune()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (id, entry) in _servers)
            if (Stopwatch.GetElapsedTime(entry.SeenTicks, now).TotalSeconds > _ttlSec) _servers.TryRemove(id, out _);
    }

    public async ValueTask DisposeAsync()
    {
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
        await http.GetFromJsonAsync<List<BlockServerInfo>>(new Uri(registry, "/servers"), cancellationToken).ConfigureAwait(false) ?? [];
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
                if (await http.GetFromJsonAsync<BlockServerInfo>(new Uri(s, "/info"), cancellationToken).ConfigureAwait(false) is { } info) live.Add(info);
            }
            catch (HttpRequestException)
            {
                // A server that does not answer is not part of the swarm now.
            }
        }
        return live;
    }
}
