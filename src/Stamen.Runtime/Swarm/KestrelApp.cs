using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http;
using Stamen.Runtime.Security;

namespace Stamen.Runtime.Swarm;

/// <summary>
/// The Kestrel set-up block servers and the registry share: a quiet minimal app on one address and port with a body
/// limit. Loopback unless the caller names another address: nothing is reachable from the network by default.
/// </summary>
internal static class KestrelApp
{
    /// <summary>Item of a request's context holding the id of the key that signed it (absent in open mode).</summary>
    public const string SignerItem = "stamen.signer";

    /// <param name="verifier">When set, every request but GET /health must be signed by a trusted swarm key (401 otherwise).</param>
    public static WebApplication Create(System.Net.IPAddress host, int port, long maxRequestBodyBytes, RequestVerifier? verifier = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The host's console lifetime would take Ctrl+C and SIGTERM for itself (stopping the server but leaving the command
        // waiting forever); the command owns the signals and stops the server through StopAsync.
        builder.Services.AddSingleton<IHostLifetime, CommandOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(host, port);
            k.Limits.MaxRequestBodySize = maxRequestBodyBytes;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        if (verifier is not null) app.Use((context, next) => Authenticate(context, next, verifier));
        return app;
    }

    /// <summary>A refusal with its status: the body every block server and registry error carries (<see cref="RefusalBody"/>).</summary>
    public static IResult Refuse(string refusal, string message, int status) =>
        Results.Json(new RefusalBody(refusal, message), RuntimeJson.Default.RefusalBody, statusCode: status);

    /// <summary>The request target as the client sent it (what it signed), before any unescaping.</summary>
    private static string RawTarget(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();

    private static async Task Authenticate(HttpContext context, RequestDelegate next, RequestVerifier verifier)
    {
        if (context.Request.Path == "/health")
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            await Refuse("bad_request", e.Message, e.StatusCode).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var headers = context.Request.Headers;
        var (signer, problem) = verifier.Verify(context.Request.Method, RawTarget(context), headers[SignedRequests.KeyHeader],
            headers[SignedRequests.TimeHeader], headers[SignedRequests.NonceHeader], headers[SignedRequests.SignatureHeader], body);
        if (signer is null)
        {
            await Refuse("unauthorized", problem!, StatusCodes.Status401Unauthorized).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        context.Items[SignerItem] = signer;
        // The handlers read the body again.
        context.Request.Body = new MemoryStream(body, writable: false);
        await next(context).ConfigureAwait(false);
    }

    private sealed class CommandOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The addresses a started app listens on, as Kestrel reports them.</summary>
    public static IReadOnlyList<string> ListenAddresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];

    /// <summary>The address a started app listens on, as a loopback URL (the real port when 0 was asked for).</summary>
    public static Uri AddressOf(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }
}
