namespace Stamen.Runtime.Swarm;

/// <summary>
/// Network delay for in-process swarms: an <see cref="HttpMessageHandler"/> that holds every request for half the
/// round trip to its server on the way out and half on the way back, so a loopback swarm behaves like one spread over
/// a network with those round trips (bandwidth is not emulated; see docs/runtime.md for tc netem across namespaces).
/// </summary>
public sealed class DelayInjectingHandler(Func<Uri, TimeSpan> roundTrip, HttpMessageHandler? inner = null)
    : DelegatingHandler(inner ?? new SocketsHttpHandler())
{
    /// <summary>Round trips by server address (scheme, host and port), zero for others.</summary>
    public static DelayInjectingHandler ByServer(IReadOnlyDictionary<string, TimeSpan> roundTrips) =>
        new(uri => roundTrips.TryGetValue(uri.GetLeftPart(UriPartial.Authority), out var rtt) ? rtt : TimeSpan.Zero);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var half = roundTrip(request.RequestUri!) / 2;
        if (half > TimeSpan.Zero) await Task.Delay(half, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (half > TimeSpan.Zero) await Task.Delay(half, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
