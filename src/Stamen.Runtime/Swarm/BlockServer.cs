using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Stamen.Runtime.Model;
using Stamen.Runtime.Security;
using Stamen.Runtime.Serving;

namespace Stamen.Runtime.Swarm;

/// <summary>What a block server tells clients and the registry about itself.</summary>
public sealed record BlockServerInfo(
    [property: JsonPropertyName("server_id")] string ServerId,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("start_block")] int StartBlock,
    [property: JsonPropertyName("end_block")] int EndBlock,
    [property: JsonPropertyName("hidden_size")] int HiddenSize,
    [property: JsonPropertyName("max_tokens_per_session")] int MaxTokensPerSession,
    [property: JsonPropertyName("free_sessions")] int FreeSessions,
    [property: JsonPropertyName("throughput_tokens_per_s")] double ThroughputTokensPerSec);

/// <summary>Body of POST /sessions: the session runs blocks [start_block, end_block) of the server's span, or all of it when they are left out.</summary>
public sealed record OpenSessionRequest(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("max_tokens")] int MaxTokens,
    [property: JsonPropertyName("start_block")] int? StartBlock = null,
    [property: JsonPropertyName("end_block")] int? EndBlock = null);

/// <summary>Body of a refusal: what to do about it is in <see cref="Refusal"/> (full: wait or go elsewhere; unknown_session: open and replay).</summary>
public sealed record RefusalBody([property: JsonPropertyName("refusal")] string Refusal, [property: JsonPropertyName("message")] string Message);

/// <summary>Settings of one block server.</summary>
/// <param name="MaxTokensPerSession">Longest session a client may open (prompt plus new tokens).</param>
/// <param name="MaxSessions">Sessions of that length the memory budget holds.</param>
/// <param name="RegistryUrl">Where to announce itself (every <see cref="AnnounceEverySec"/> seconds), or null.</param>
public sealed record BlockServerOptions(
    string ServerId,
    string ModelName,
    int Port = 0,
    int MaxTokensPerSession = 512,
    int MaxSessions = 16,
    string? RegistryUrl = null,
    double AnnounceEverySec = 2,
    double ThroughputTokensPerSec = 0)
{
    /// <summary>Address to listen on: loopback by default; <see cref="System.Net.IPAddress.Any"/> exposes the server to the network.</summary>
    public System.Net.IPAddress Host { get; init; } = System.Net.IPAddress.Loopback;

    /// <summary>When sessions expire (PETALS' defaults: 30 min a session, 5 min between steps, 60 s to the first step).</summary>
    public SessionTimeouts Timeouts { get; init; } = SessionTimeouts.Petals;

    /// <summary>The swarm's keys: when set, the server serves only signed requests, a session belongs to the key that opened it, and announcements are signed.</summary>
    public SwarmKey? Key { get; init; }
}

/// <summary>
/// A block server: Kestrel (HTTP/1.1 on loopback unless <see cref="BlockServerOptions.Host"/> says otherwise) hosting one <see cref="BlockSessionHost"/>. Hidden states
/// travel as raw little-endian float32 bodies; control messages are small JSON. HTTP because the framework ships a
/// hardened server with limits, graceful shutdown and health endpoints, and any tool can talk to it (curl); the bodies
/// stay binary so nothing is lost to text. Bad or oversized requests get 400 or 413; the server keeps serving.
/// </summary>
public sealed class BlockServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BlockSessionHost _host;
    private readonly BlockServerOptions _options;
    private readonly LlamaConfig _config;
    private readonly CancellationTokenSource _stop = new();
    private Task? _announcer;
    private long _steps;
    private long _tokens;

    private BlockServer(WebApplication app, BlockSessionHost host, LlamaConfig config, BlockServerOptions options)
    {
        _app = app;
        _host = host;
        _config = config;
        _options = options;
    }

    /// <summary>The address the server listens on (the real port when 0 was asked for).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>What Kestrel listens on, as it reports it (e.g. <c>http://127.0.0.1:5123</c>): where the server can be reached from.</summary>
    public IReadOnlyList<string> ListenAddresses { get; private set; } = [];

    public BlockSessionHost Host => _host;

    public BlockServerInfo Info => new(_options.ServerId, Address.ToString().TrimEnd('/'), _options.ModelName, _host.Range.Start, _host.Range.End,
        _config.HiddenSize, _options.MaxTokensPerSession, FreeSessions, _options.ThroughputTokensPerSec);

    private int FreeSessions => (int)Math.Max(0, _host.Stats.FreeBytes / Math.Max(1, _host.SessionBytes(_options.MaxTokensPerSession)));

    /// <summary>Starts a server for <paramref name="stack"/> with a budget of <see cref="BlockServerOptions.MaxSessions"/> full-length sessions.</summary>
    public static async Task<BlockServer> StartAsync(BlockStack stack, BlockServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        var host = new BlockSessionHost(stack, stack.KvBytesPerToken * options.MaxTokensPerSession * options.MaxSessions, options.Timeouts);
        // The largest legal body: a prefill of a whole session's tokens.
        var app = KestrelApp.Create(options.Host, options.Port, (long)options.MaxTokensPerSession * stack.Config.HiddenSize * sizeof(float) + 4096,
            options.Key is null ? null : new RequestVerifier(options.Key));
        var server = new BlockServer(app, host, stack.Config, options);
        server.Map();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        server.Address = KestrelApp.AddressOf(app);
        server.ListenAddresses = KestrelApp.ListenAddresses(app);
        if (options.RegistryUrl is not null) server._announcer = server.AnnounceLoop(options.RegistryUrl);
        return server;
    }

    private void Map()
    {
        _app.MapGet("/health", () => Results.Text("ok"));
        _app.MapGet("/info", () => Results.Json(Info, RuntimeJson.Default.BlockServerInfo));
        _app.MapGet("/stats", () =>
        {
            var s = _host.Stats;
            return Results.Json(new BlockServerStats(s.Sessions, s.BytesInUse, s.BudgetBytes, FreeSessions,
                Interlocked.Read(ref _steps), Interlocked.Read(ref _tokens), _host.ExpiredSessions), RuntimeJson.Default.BlockServerStats);
        });
        _app.MapPost("/sessions", async (HttpContext context) =>
        {
            var request = context.Request;
            OpenSessionRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync(RuntimeJson.Default.OpenSessionRequest).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                return Refuse(StatusCodes.Status400BadRequest, SessionRefusal.BadRequest, "the body is not {\"session_id\": ..., \"max_tokens\": ...}");
            }
            if (body is null || string.IsNullOrEmpty(body.SessionId) || body.SessionId.Length > 128)
                return Refuse(StatusCodes.Status400BadRequest, SessionRefusal.BadRequest, "session_id is missing or longer than 128 characters");
            if (body.MaxTokens > _options.MaxTokensPerSession)
                return Refuse(StatusCodes.Status413PayloadTooLarge, SessionRefusal.TooLong, $"this server takes sessions of at most {_options.MaxTokensPerSession} tokens");
            BlockRange? blocks = body.StartBlock is null && body.EndBlock is null
                ? null
                : new BlockRange(body.StartBlock ?? _host.Range.Start, body.EndBlock ?? _host.Range.End);
            var result = _host.Open(Scoped(context, body.SessionId), body.MaxTokens, blocks);
            return result.Admitted ? Results.Json(new SessionAdmitted(true), RuntimeJson.Default.SessionAdmitted) : Refuse(StatusOf(result.Refusal!.Value), result.Refusal.Value, result.Message);
        });
        _app.MapPost("/sessions/{id}/prefill", (string id, HttpContext context) => Step(Scoped(context, id), context.Request, prefill: true));
        _app.MapPost("/sessions/{id}/decode", (string id, HttpContext context) => Step(Scoped(context, id), context.Request, prefill: false));
        _app.MapDelete("/sessions/{id}", (string id, HttpContext context) => _host.Close(Scoped(context, id)) ? Results.NoContent() : Results.NotFound());
    }

    /// <summary>The host's name for a client's session: within the signing key's own space, so no other key can step or close it.</summary>
    private static string Scoped(HttpContext context, string id) => context.Items[KestrelApp.SignerItem] is string signer ? $"{signer}/{id}" : id;

    private async Task<IResult> Step(string id, HttpRequest request, bool prefill)
    {
        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, SessionRefusal.TooLong, "the body is larger than a whole session's hidden states");
        }
        var hidden = HiddenCodec.Decode(bytes, _config.HiddenSize);
        if (hidden is null)
            return Refuse(StatusCodes.Status400BadRequest, SessionRefusal.BadRequest,
                $"the body must be finite float32 rows of {_config.HiddenSize} values ({_config.HiddenSize * 4} bytes each), got {bytes.Length} bytes");
        if (!prefill && hidden.Length != _config.HiddenSize)
            return Refuse(StatusCodes.Status400BadRequest, SessionRefusal.BadRequest, "a decode step takes exactly one row");
        var result = prefill ? _host.Prefill(id, hidden) : _host.Decode(id, hidden);
        if (!result.Succeeded) return Refuse(StatusOf(result.Refusal!.Value), result.Refusal!.Value, result.Message);
        Interlocked.Increment(ref _steps);
        Interlocked.Add(ref _tokens, hidden.Length / _config.HiddenSize);
        return Results.Bytes(HiddenCodec.Encode(result.Hidden!), "application/octet-stream");
    }

    private static int StatusOf(SessionRefusal refusal) => refusal switch
    {
        SessionRefusal.Full => StatusCodes.Status503ServiceUnavailable,
        SessionRefusal.DuplicateId => StatusCodes.Status409Conflict,
        SessionRefusal.UnknownSession => StatusCodes.Status404NotFound,
        SessionRefusal.TooLong => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    private static IResult Refuse(int status, SessionRefusal refusal, string message) =>
        KestrelApp.Refuse(JsonNamingPolicy.SnakeCaseLower.ConvertName(refusal.ToString()), message, status);

    private async Task AnnounceLoop(string registryUrl)
    {
        using var http = (_options.Key is { } key ? new HttpClient(new SigningHandler(key)) : new HttpClient());
        http.BaseAddress = new Uri(registryUrl);
        http.Timeout = TimeSpan.FromSeconds(2);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await http.PostAsJsonAsync("/announce", Info, RuntimeJson.Default.BlockServerInfo, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The registry may be down or not up yet; the next announcement tries again.
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(_options.AnnounceEverySec), _stop.Token).ConfigureAwait(false);
            }
            catch (TaskCanceledException)
            {
                break;
            }
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await http.DeleteAsync($"/servers/{Uri.EscapeDataString(_options.ServerId)}", cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Leaving quietly is fine: the registry forgets servers that stop announcing.
        }
    }

    /// <summary>Stops accepting requests, lets running ones finish, and leaves the registry.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_announcer is not null) await _announcer.ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
