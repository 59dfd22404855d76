using System.Diagnostics;
using System.Globalization;
using Stamen.Hardware;
using Stamen.Performance;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Runtime.Model;
using Stamen.Runtime.Swarm;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Runtime.Calibration;

/// <summary>A block server the validation starts: its name and the blocks it holds.</summary>
public sealed record ValidationServer(string Name, BlockRange Blocks);

/// <summary>A client: its emulated round trip to each server (by index) and the chain its sessions follow.</summary>
public sealed record ValidationClient(string Name, IReadOnlyList<double> RttMsByServer, IReadOnlyList<RouteHop> Chain);

/// <summary>One request, sent by client <see cref="Client"/> (index) once the one before it has finished.</summary>
public sealed record ValidationRequest(int Client, int PromptTokens, int NewTokens);

/// <summary>A swarm to start for real and to predict: servers, clients with their chains, and the requests, run one after another.</summary>
public sealed record ValidationCase(string Name, IReadOnlyList<ValidationServer> Servers, IReadOnlyList<ValidationClient> Clients,
    IReadOnlyList<ValidationRequest> Requests)
{
    /// <summary>The servers' block ranges, e.g. "s0 0:4 | s1 4:12".</summary>
    public string Placement => string.Join(" | ", Servers.Select(s => $"{s.Name} {s.Blocks}"));

    /// <summary>Each client's chain, e.g. "laptop: s0[0,4) s1[4,12)".</summary>
    public string Routes => string.Join("; ", Clients.Select(c => $"{c.Name}: " + string.Join(" ", c.Chain.Select(h => $"{Servers[h.Server].Name}[{h.StartBlock},{h.EndBlock})"))));
}

/// <summary>One case measured for real and predicted by the twin (medians over its requests).</summary>
/// <param name="Case">The case's name (an algorithm of a scenario, or "placement N").</param>
/// <param name="Placement">Block ranges of the servers started.</param>
/// <param name="Routes">Each client's chain.</param>
/// <param name="RttsMs">Round trips asked of the emulator along the chains.</param>
/// <param name="PingRttsMs">Round trips measured through it (what the twin is given, as PETALS pings its servers).</param>
/// <param name="Requests">Requests measured (after one warm-up per client).</param>
public sealed record SwarmValidationResult(string Case, string Placement, string Routes, string RttsMs, string PingRttsMs, int Requests,
    double MeasuredFirstTokenMs, double PredictedFirstTokenMs, double MeasuredPerTokenMs, double PredictedPerTokenMs, bool TokensEqualLocal)
{
    public double FirstTokenErrorPercent => 100 * (PredictedFirstTokenMs - MeasuredFirstTokenMs) / MeasuredFirstTokenMs;

    public double PerTokenErrorPercent => 100 * (PredictedPerTokenMs - MeasuredPerTokenMs) / MeasuredPerTokenMs;
}

/// <summary>
/// Starts a real swarm (block servers on loopback, each client's requests delayed by its round trip to each server), runs
/// requests through it one at a time, and sets the measured first-token and per-token times beside the swarm twin's prediction
/// (<see cref="SwarmPerformanceModel"/>) with this machine's profiled constants: per hop the round trip, the hop's
/// overhead and the blocks' time, plus the client's embedding and head. Requests run one after another, so neither side
/// has queueing: what is checked is the performance model of a chain.
/// </summary>
public static class SwarmValidation
{
    /// <summary>Uncounted runs of each client's first request.</summary>
    public const int WarmUps = 3;

    public static async Task<SwarmValidationResult> RunAsync(string modelName, LlamaConfig config, int seed, ValidationCase validationCase,
        RuntimeProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(validationCase);
        ArgumentNullException.ThrowIfNull(profile);
        var local = new LocalModel(SeededWeights.Create(config, seed));
        var maxTokens = validationCase.Requests.Select(r => r.PromptTokens + r.NewTokens).DefaultIfEmpty(1).Max();
        var servers = new List<BlockServer>();
        var https = new List<HttpClient>();
        try
        {
            foreach (var s in validationCase.Servers)
                servers.Add(await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(config, seed, s.Blocks, clientParts: false), s.Blocks),
                    new BlockServerOptions(s.Name, modelName, MaxTokensPerSession: maxTokens, MaxSessions: 2), cancellationToken).ConfigureAwait(false));
            // The previous case's servers (hundreds of MB of weights) are garbage now: collect them before measuring, so a
            // full collection does not land inside this case's requests.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var control = new HttpClient();
            https.Add(control);
            var clients = new List<(SwarmClient Client, double[] PingsByHop)>();
            foreach (var c in validationCase.Clients)
            {
                var delays = servers.Select((s, i) => (Key: s.Address.GetLeftPart(UriPartial.Authority), Rtt: TimeSpan.FromMilliseconds(c.RttMsByServer[i])))
                    .ToDictionary(x => x.Key, x => x.Rtt);
                var http = new HttpClient(DelayInjectingHandler.ByServer(delays));
                https.Add(http);
                // The directory asks servers for /info without the emulated delay: only the session's requests cross the "network".
                var chain = new FixedChainPlanner([.. c.Chain.Select(h => new ChainStep(validationCase.Servers[h.Server].Name, h.StartBlock, h.EndBlock))]);
                var client = new SwarmClient(http, new StaticDirectory(control, [.. servers.Select(s => s.Address)]), local.Embedding, local.Head,
                    config.Blocks, modelName, chain);
                var pings = new double[c.Chain.Count];
                for (var h = 0; h < c.Chain.Count; h++)
                    pings[h] = await PingMsAsync(http, servers[c.Chain[h].Server].Address, cancellationToken).ConfigureAwait(false);
                clients.Add((client, pings));
            }
            var rng = new Random(seed);
            var firsts = new List<double>();
            var perToken = new List<double>();
            var predictedFirsts = new List<double>();
            var predictedPerToken = new List<double>();
            var equal = true;
            var warmed = new HashSet<int>();
            foreach (var request in validationCase.Requests)
            {
                var prompt = Enumerable.Range(0, request.PromptTokens).Select(_ => rng.Next(config.VocabSize)).ToArray();
                var expected = local.Generate(prompt, request.NewTokens);
                var (client, pings) = clients[request.Client];
                // Each client's first request is first sent WarmUps times, not counted: it opens connections and lets the JIT
                // reach its optimised code for the servers' prefill, which runs once per request (decode gets hot at once).
                var warmUps = warmed.Add(request.Client) ? WarmUps : 0;
                for (var pass = 0; pass <= warmUps; pass++)
                {
                    var clock = Stopwatch.StartNew();
                    var stamps = new List<double>();
                    var report = await client.GenerateAsync(prompt, request.NewTokens, _ => stamps.Add(clock.Elapsed.TotalMilliseconds), cancellationToken)
                        .ConfigureAwait(false);
                    equal &= report.Tokens.SequenceEqual(expected);
                    if (pass < warmUps) continue;
                    firsts.Add(stamps[0]);
                    perToken.Add((stamps[^1] - stamps[0]) / Math.Max(1, stamps.Count - 1));
                    var chain = validationCase.Clients[request.Client].Chain;
                    var predicted = Predict(modelName, config, [.. chain.Select(h => new BlockRange(h.StartBlock, h.EndBlock))], pings, profile,
                        request.PromptTokens, request.NewTokens);
                    predictedFirsts.Add(predicted.FirstTokenMs + profile.ClientMsPerToken);
                    predictedPerToken.Add(predicted.PerTokenMs + profile.ClientMsPerToken);
                }
            }
            var emulated = validationCase.Clients.SelectMany(c => c.Chain.Select(h => c.RttMsByServer[h.Server]));
            var pinged = clients.SelectMany(c => c.PingsByHop);
            return new SwarmValidationResult(validationCase.Name, validationCase.Placement, validationCase.Routes,
                string.Join("/", emulated.Select(Ms)), string.Join("/", pinged.Select(Ms)), firsts.Count,
                Median(firsts), Median(predictedFirsts), Median(perToken), Median(predictedPerToken), equal);
        }
        finally
        {
            foreach (var http in https) http.Dispose();
            foreach (var s in servers) await s.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One chain of the given ranges with one round trip each, as <paramref name="requests"/> equal requests of one client.</summary>
    public static ValidationCase Chain(string name, IReadOnlyList<BlockRange> layout, IReadOnlyList<double> rttMs, int promptTokens, int newTokens, int requests)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(rttMs);
        if (layout.Count != rttMs.Count) throw new StamenInputException("validate", "--rtt-ms", "needs one round trip per server", "give as many as --layout has ranges");
        return new ValidationCase(name, [.. layout.Select((r, i) => new ValidationServer($"s{i}", r))],
            [new ValidationClient("client", rttMs, [.. layout.Select((r, i) => new RouteHop(i, r.Start, r.End))])],
            [.. Enumerable.Repeat(new ValidationRequest(0, promptTokens, newTokens), requests)]);
    }

    /// <summary>The twin's timing of the chain: one client, one server per range, the profile's block times and hop overhead.</summary>
    public static RouteTiming Predict(string modelName, LlamaConfig config, IReadOnlyList<BlockRange> layout, IReadOnlyList<double> rttMs,
        RuntimeProfile profile, int promptTokens, int newTokens)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(rttMs);
        ArgumentNullException.ThrowIfNull(profile);
        var servers = layout.Select((r, i) => new ServerSpec($"s{i}", "cpu", i, 8e9, profile.Times, r.Count)).ToArray();
        var rtt = new double[1, layout.Count];
        var rttIn = new double[1, layout.Count];
        var zero = new double[1, layout.Count];
        for (var i = 0; i < layout.Count; i++)
        {
            rtt[0, i] = rttMs[i] + profile.HopOverheadMs;
            // Before its prefill a hop opens a session: one more round trip (PETALS' session set-up, a fixed delay of RTT_in).
            rttIn[0, i] = 2 * rttMs[i] + profile.HopOverheadMs;
        }
        var swarm = new SwarmSpec(RuntimeProfiler.ModelSpecOf(modelName, config), servers, [new ClientSpec("client", 0)], new SwarmDelays(rtt, rttIn, zero, null));
        var route = new Route([.. layout.Select((r, i) => new RouteHop(i, r.Start, r.End))]);
        return new SwarmPerformanceModel(swarm).Time(route, 0, new RequestShape(promptTokens, newTokens));
    }

    /// <summary>The median of ten pings through the emulated link after two warm-ups, as a client measures its network before routing.</summary>
    private static async Task<double> PingMsAsync(HttpClient http, Uri server, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        for (var k = 0; k < 12; k++)
        {
            var ping = Stopwatch.StartNew();
            await http.GetStringAsync(new Uri(server, "/health"), cancellationToken).ConfigureAwait(false);
            if (k >= 2) samples.Add(ping.Elapsed.TotalMilliseconds);
        }
        return Median(samples);
    }

    private static string Ms(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
