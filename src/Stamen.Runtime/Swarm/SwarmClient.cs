using System.Net;
using System.Net.Http.Json;
using Stamen.Runtime.Model;

namespace Stamen.Runtime.Swarm;

/// <summary>The swarm could not serve the request: no chain covers the blocks, or every candidate stayed full.</summary>
public sealed class SwarmUnavailableException(string message) : Exception(message);

/// <summary>What happened during one generation, for callers that check failover.</summary>
/// <param name="Chain">Server ids of the chain, in order, as it ended.</param>
/// <param name="Reroutes">Times a hop failed and the rest of the chain was rebuilt and replayed.</param>
public sealed record GenerationReport(IReadOnlyList<int> Tokens, IReadOnlyList<string> Chain, int Reroutes);

/// <summary>
/// The client side of a swarm, as in PETALS: the embedding and the LM head run here, the blocks on a chain of servers
/// chosen by an <see cref="IChainPlanner"/> (fewest hops by default, or one of the twin's routers). Every hop's inputs
/// are kept, so when a server fails mid-session the chain is rebuilt from that hop's first block and the new servers
/// are prefilled with the history: generation continues, and since every server does the same arithmetic, no token
/// changes.
/// </summary>
public sealed class SwarmClient(HttpClient http, IServerDirectory directory, Embedding embedding, LmHead head, int blocks, string model,
    IChainPlanner? planner = null)
{
    private readonly IChainPlanner _planner = planner ?? new MinHopChainPlanner();

    /// <summary>How long to keep trying when every server for a block is full.</summary>
    public TimeSpan FullWait { get; init; } = TimeSpan.FromSeconds(10);

    private sealed class Hop(BlockServerInfo server, string session, int start, int end)
    {
        public BlockServerInfo Server { get; } = server;
        public string Session { get; } = session;
        public int Start { get; } = start;
        public int End { get; } = end;
        public List<float[]> Inputs { get; } = [];
    }

    public async Task<GenerationReport> GenerateAsync(IReadOnlyList<int> prompt, int maxNewTokens, Action<int>? onToken = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0) throw new ArgumentException("the prompt needs at least one token", nameof(prompt));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        var dead = new HashSet<string>(StringComparer.Ordinal);
        var chain = await BuildChainAsync(0, prompt.Count, maxNewTokens, dead, cancellationToken).ConfigureAwait(false);
        var tokens = new List<int>(maxNewTokens);
        var reroutes = 0;
        try
        {
            var step = embedding.Lookup([.. prompt]);
            var prefill = true;
            while (true)
            {
                var x = step;
                for (var h = 0; h < chain.Count; h++)
                {
                    chain[h].Inputs.Add(x);
                    var y = await TryForwardAsync(chain[h], x, prefill, cancellationToken).ConfigureAwait(false);
                    if (y is null)
                    {
                        // The hop failed: rebuild the chain from its first block and replay its inputs through the new servers.
                        dead.Add(chain[h].Server.ServerId);
                        reroutes++;
                        var history = chain[h].Inputs;
                        await CloseAsync(chain.Skip(h + 1)).ConfigureAwait(false);
                        var rebuilt = await BuildChainAsync(chain[h].Start, prompt.Count, maxNewTokens, dead, cancellationToken).ConfigureAwait(false);
                        chain.RemoveRange(h, chain.Count - h);
                        x = await ReplayAsync(rebuilt, history, x.Length, cancellationToken).ConfigureAwait(false);
                        chain.AddRange(rebuilt);
                        break;
                    }
                    x = y;
                }
                var token = head.Greedy(x);
                tokens.Add(token);
                onToken?.Invoke(token);
                if (tokens.Count == maxNewTokens) break;
                step = embedding.Lookup([token]);
                prefill = false;
            }
            return new GenerationReport(tokens, [.. chain.Select(c => c.Server.ServerId)], reroutes);
        }
        finally
        {
            await CloseAsync(chain).ConfigureAwait(false);
        }
    }

    /// <summary>Sends each new hop the whole history (a prefill from position 0); returns the last hop's rows for the current step.</summary>
    private async Task<float[]> ReplayAsync(List<Hop> hops, List<float[]> history, int currentLength, CancellationToken cancellationToken)
    {
        var all = history.SelectMany(h => h).ToArray();
        foreach (var hop in hops)
        {
            hop.Inputs.AddRange(Split(all, history));
            var y = await TryForwardAsync(hop, all, prefill: true, cancellationToken).ConfigureAwait(false)
                ?? throw new SwarmUnavailableException($"server {hop.Server.ServerId} failed while replaying the session; try again");
            all = y;
        }
        return all[^currentLength..];

        // The replayed rows, cut back into the steps they came in, so a later failure replays them alike.
        static IEnumerable<float[]> Split(float[] rows, List<float[]> shape)
        {
            var offset = 0;
            foreach (var s in shape)
            {
                yield return rows[offset..(offset + s.Length)];
                offset += s.Length;
            }
        }
    }

    private async Task<float[]?> TryForwardAsync(Hop hop, float[] x, bool prefill, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(HiddenCodec.Encode(x));
            content.Headers.ContentType = new("application/octet-stream");
            var kind = prefill ? "prefill" : "decode";
            using var response = await http.PostAsync(new Uri($"{hop.Server.Url}/sessions/{Uri.EscapeDataString(hop.Session)}/{kind}"), content, cancellationToken)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return null;
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return HiddenCodec.Decode(bytes, hop.Server.HiddenSize);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Opens sessions on a planned chain covering [<paramref name="from"/>, L); a full server is left out and the chain
    /// planned again, and when nothing but full servers cover a block the client waits and asks again until <see cref="FullWait"/>.</summary>
    private async Task<List<Hop>> BuildChainAsync(int from, int promptTokens, int newTokens, HashSet<string> dead, CancellationToken cancellationToken)
    {
        var sessionTokens = promptTokens + newTokens - 1;
        var deadline = DateTime.UtcNow + FullWait;
        var full = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var live = (await directory.ListAsync(cancellationToken).ConfigureAwait(false))
                .Where(s => s.Model == model && !dead.Contains(s.ServerId) && s.MaxTokensPerSession >= sessionTokens).ToList();
            var plan = await _planner.PlanAsync([.. live.Where(s => !full.Contains(s.ServerId))], from, blocks, promptTokens, newTokens, cancellationToken)
                .ConfigureAwait(false);
            if (plan is null)
            {
                if (full.Count == 0)
                    throw new SwarmUnavailableException($"the live servers of model {model} do not cover blocks {from}..{blocks - 1}");
                if (DateTime.UtcNow > deadline)
                    throw new SwarmUnavailableException($"every server that could serve blocks {from}..{blocks - 1} is full; try again later");
                // Full servers free up as sessions end: wait a little and ask again.
                full.Clear();
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var chain = new List<Hop>();
            var failed = false;
            foreach (var segment in plan)
            {
                var session = Guid.NewGuid().ToString("N");
                var status = await OpenAsync(segment, session, sessionTokens, cancellationToken).ConfigureAwait(false);
                if (status == HttpStatusCode.OK)
                {
                    chain.Add(new Hop(segment.Server, session, segment.Start, segment.End));
                    continue;
                }
                if (status == HttpStatusCode.ServiceUnavailable) full.Add(segment.Server.ServerId);
                else dead.Add(segment.Server.ServerId);
                failed = true;
                break;
            }
            if (!failed) return chain;
            await CloseAsync(chain).ConfigureAwait(false);
        }
    }

    private async Task<HttpStatusCode> OpenAsync(ChainSegment segment, string session, int tokens, CancellationToken cancellationToken)
    {
        try
        {
            var request = new OpenSessionRequest(session, tokens, segment.Start, segment.End);
            using var response = await http.PostAsJsonAsync(new Uri($"{segment.Server.Url}/sessions"), request, cancellationToken).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HttpStatusCode.BadGateway;
        }
    }

    private async Task CloseAsync(IEnumerable<Hop> hops)
    {
        foreach (var hop in hops)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var _ = await http.DeleteAsync(new Uri($"{hop.Server.Url}/sessions/{Uri.EscapeDataString(hop.Session)}"), cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // A dead server forgets its sessions anyway.
            }
        }
    }
}
