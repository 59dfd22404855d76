using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Stamen.Runtime.Swarm;

/// <summary>
/// The Kestrel set-up block servers and the registry share: a quiet minimal app on one address and port with a body
/// limit. Loopback unless the caller names another address: nothing is reachable from the network by default.
/// </summary>
internal static class KestrelApp
{
    public static WebApplication Create(System.Net.IPAddress host, int port, long maxRequestBodyBytes)
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
        return builder.Build();
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
