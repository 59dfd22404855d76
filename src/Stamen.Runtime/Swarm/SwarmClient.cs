using System.Net;
using System.Net.Http.Json;
using Stamen.Runtime.Model;

namespace Stamen.Runtime.Swarm;

/// <summary>The swarm could not serve the request: no chain covers the blocks, or every candidate stayed full.</summary>
public sealed class SwarmUnavailableException(string message) : Exception(message);

/// <summary>What happened during one generation, for callers that check failover.</summary>
/// <param name="Chain">Server ids of the chain, in order, as it ended.</param>
/// <param name="Reroutes">Times a hop failed (or was caught lying) and the rest of the chain was rebuilt and replayed.</param>
public sealed record GenerationReport(IReadOnlyList<int> Tokens, IReadOnlyList<string> Chain, int Reroutes)
{
    /// <summary>Steps of a hop re-run on a second server (<see cref="SwarmClient.VerifyFraction"/>).</summary>
    public int VerifiedSteps { get; init; }

    /// <summary>Servers banned because their hidden states disagreed with others holding the same blocks, in the order caught.</summary>
    public IReadOnlyList<string> Banned { get; init; } = [];
}

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

    /// <summary>Longest a server may take over one request; a slower one has failed.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Fraction of hop steps re-run on a second server holding the same blocks (0: none, as PETALS). The second server is
    /// prefilled with the hop's whole history and its rows for the step compared with the hop's within
    /// <see cref="VerifyAbsTolerance"/> + <see cref="VerifyRelTolerance"/> x |value|. On a disagreement a third server decides;
    /// the one in the minority is banned (both, when no third server holds the blocks) and the chain re-routed.
    /// </summary>
    public double VerifyFraction { get; init; }

    /// <summary>Seed of which steps are verified and by whom.</summary>
    public int VerifySeed { get; init; } = 1;

    /// <summary>Tolerances of a verification: honest servers differ only by float rounding between a prefill and step-by-step decoding.</summary>
    public const double VerifyAbsTolerance = 1e-3, VerifyRelTolerance = 1e-3;

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
        if (!(VerifyFraction is >= 0 and <= 1)) throw new InvalidOperationException("VerifyFraction must be in [0, 1]");
        var dead = new HashSet<string>(StringComparer.Ordinal);
        var banned = new List<string>();
        var verified = 0;
        var random = new Random(VerifySeed);
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
                    if (y is not null && VerifyFraction > 0 && random.NextDouble() < VerifyFraction)
                    {
                        var (checkedStep, liars) = await VerifyAsync(chain[h], y, sessionTokens: prompt.Count + maxNewTokens - 1, dead, random, cancellationToken)
                            .ConfigureAwait(false);
                        if (checkedStep) verified++;
                        foreach (var liar in liars)
                        {
                            dead.Add(liar);
                            banned.Add(liar);
                        }
                        if (liars.Contains(chain[h].Server.ServerId)) y = null;
                    }
                    if (y is null)
                    {
                        // The hop failed: rebuild the chain from its first block and replay its inputs through the new servers.
                        dead.Add(chain[h].Server.ServerId);
                        reroutes++;
                        var history = chain[h].Inputs;
                        var from = chain[h].Start;
                        await CloseAsync(chain.Skip(h)).ConfigureAwait(false);
                        chain.RemoveRange(h, chain.Count - h);
                        // A server of the new chain may fail while replaying too: leave it out and build again.
                        while (true)
                        {
                            var rebuilt = await BuildChainAsync(from, prompt.Count, maxNewTokens, dead, cancellationToken).ConfigureAwait(false);
                            var (rows, failed) = await ReplayAsync(rebuilt, history, x.Length, cancellationToken).ConfigureAwait(false);
                            if (rows is not null)
                            {
                                x = rows;
                                chain.AddRange(rebuilt);
                                break;
                            }
                            dead.Add(failed!);
                            reroutes++;
                            await CloseAsync(rebuilt).ConfigureAwait(false);
                        }
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
            return new GenerationReport(tokens, [.. chain.Select(c => c.Server.ServerId)], reroutes) { VerifiedSteps = verified, Banned = banned };
        }
        finally
        {
            await CloseAsync(chain).ConfigureAwait(false);
        }
    }

    /// <summary>Sends each new hop the whole history (a prefill from position 0); returns the last hop's rows for the current step.</summary>
    /// <returns>The last hop's rows for the current step, or the id of the server that failed.</returns>
    private async Task<(float[]? Rows, string? Failed)> ReplayAsync(List<Hop> hops, List<float[]> history, int currentLength, CancellationToken cancellationToken)
    {
        var all = history.SelectMany(h => h).ToArray();
        foreach (var hop in hops)
        {
            hop.Inputs.AddRange(Split(all, history));
            var y = await TryForwardAsync(hop, all, prefill: true, cancellationToken).ConfigureAwait(false);
            if (y is null) return (null, hop.Server.ServerId);
            all = y;
        }
        return (all[^currentLength..], null);

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

    private Task<float[]?> TryForwardAsync(Hop hop, float[] x, bool prefill, CancellationToken cancellationToken) =>
        TryStepAsync(hop.Server, hop.Session, x, prefill, cancellationToken);

    /// <summary>
    /// One step on a server: its rows, or null for any failure of that server (refusal, transport, timeout, a body that is not
    /// exactly as many finite rows as were sent). Only the caller's own cancellation propagates.
    /// </summary>
    private async Task<float[]?> TryStepAsync(BlockServerInfo server, string session, float[] x, bool prefill, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        try
        {
            using var content = new ByteArrayContent(HiddenCodec.Encode(x));
            content.Headers.ContentType = new("application/octet-stream");
            var kind = prefill ? "prefill" : "decode";
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{server.Url}/sessions/{Uri.EscapeDataString(session)}/{kind}")) { Content = content };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return null;
            // Read no more than the rows sent (a server cannot make the client buffer more), and fail on fewer.
            var expected = x.Length * sizeof(float);
            if (response.Content.Headers.ContentLength is { } length && length != expected) return null;
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var bytes = new byte[expected + 1];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = await stream.ReadAsync(bytes.AsMemory(read), timeout.Token).ConfigureAwait(false);
                if (n == 0) break;
                read += n;
            }
            return read == expected ? HiddenCodec.Decode(bytes.AsSpan(0, expected), server.HiddenSize) : null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsServerFailure(e))
        {
            return null;
        }
    }

    /// <summary>Exceptions that mean one server failed (the network, its answer, its URL), not this process.</summary>
    private static bool IsServerFailure(Exception e) =>
        e is HttpRequestException or OperationCanceledException or IOException or UriFormatException or InvalidOperationException
            or System.Text.Json.JsonException or NotSupportedException or FormatException;

    /// <summary>
    /// Re-runs the hop's latest step on a second server holding its blocks and compares; on a disagreement asks a third.
    /// Returns whether another server checked the step, and the servers to ban: none when they agree, the minority when a third
    /// decides, both when none can.
    /// </summary>
    private async Task<(bool Checked, IReadOnlyList<string> Liars)> VerifyAsync(Hop hop, float[] output, int sessionTokens, HashSet<string> dead, Random random,
        CancellationToken cancellationToken)
    {
        var candidates = (await ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.ServerId != hop.Server.ServerId && !dead.Contains(s.ServerId) && s.StartBlock <= hop.Start && hop.End <= s.EndBlock
                && s.MaxTokensPerSession >= sessionTokens)
            .OrderBy(s => s.ServerId, StringComparer.Ordinal).ToList();
        var history = hop.Inputs.SelectMany(i => i).ToArray();
        var rows = output.Length;
        float[]? second = null;
        BlockServerInfo? checker = null;
        while (candidates.Count > 0 && second is null)
        {
            checker = candidates[random.Next(candidates.Count)];
            candidates.Remove(checker);
            second = await RerunAsync(checker, hop, history, sessionTokens, cancellationToken).ConfigureAwait(false);
            if (second is null) dead.Add(checker.ServerId);
        }
        if (second is null) return (false, []);
        if (Agree(output, second[^rows..])) return (true, []);
        // Two servers disagree: a third holding the blocks decides; with none, neither answer can be trusted.
        while (candidates.Count > 0)
        {
            var referee = candidates[random.Next(candidates.Count)];
            candidates.Remove(referee);
            var third = await RerunAsync(referee, hop, history, sessionTokens, cancellationToken).ConfigureAwait(false);
            if (third is null)
            {
                dead.Add(referee.ServerId);
                continue;
            }
            var agreesWithHop = Agree(output, third[^rows..]);
            var agreesWithChecker = Agree(second[^rows..], third[^rows..]);
            if (agreesWithHop && !agreesWithChecker) return (true, [checker!.ServerId]);
            if (agreesWithChecker && !agreesWithHop) return (true, [hop.Server.ServerId]);
            return (true, agreesWithHop ? [] : [hop.Server.ServerId, checker!.ServerId, referee.ServerId]);
        }
        return (true, [hop.Server.ServerId, checker!.ServerId]);
    }

    /// <summary>The hop's whole history prefilled on another server, in a session of its own (closed after); null when that server fails.</summary>
    private async Task<float[]?> RerunAsync(BlockServerInfo server, Hop hop, float[] history, int sessionTokens, CancellationToken cancellationToken)
    {
        var session = Guid.NewGuid().ToString("N");
        var status = await OpenAsync(new ChainSegment(server, hop.Start, hop.End), session, sessionTokens, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK) return null;
        try
        {
            return await TryStepAsync(server, session, history, prefill: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseAsync([new Hop(server, session, hop.Start, hop.End)]).ConfigureAwait(false);
        }
    }

    private static bool Agree(float[] a, float[] b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (Math.Abs(a[i] - b[i]) > VerifyAbsTolerance + VerifyRelTolerance * Math.Abs(b[i])) return false;
        return true;
    }

    /// <summary>The directory's servers that pass the registry's own checks (a bad URL or field is one server's problem, not the client's); a directory that fails is the swarm being unavailable.</summary>
    private async Task<List<BlockServerInfo>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<BlockServerInfo> listed;
        try
        {
            listed = await directory.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsServerFailure(e))
        {
            throw new SwarmUnavailableException($"cannot list the swarm's servers: {e.Message}");
        }
        return [.. listed.Where(s => s is not null && s.ServerId is not null && RegistryServer.Problem(s) is null && s.StartBlock >= 0 && s.EndBlock > s.StartBlock)];
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
            var live = (await ListAsync(cancellationToken).ConfigureAwait(false))
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        try
        {
            var request = new OpenSessionRequest(session, tokens, segment.Start, segment.End);
            using var response = await http.PostAsJsonAsync(new Uri($"{segment.Server.Url}/sessions"), request, RuntimeJson.Default.OpenSessionRequest, timeout.Token).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsServerFailure(e))
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
            catch (Exception e) when (IsServerFailure(e))
            {
                // A dead server forgets its sessions anyway (and expires them when it lives on).
            }
        }
    }
}
