using System.Diagnostics;
using Stamen.Hardware;
using Stamen.Performance;
using Stamen.Routing;
using Stamen.Runtime.Model;
using Stamen.Runtime.Swarm;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Runtime.Calibration;

/// <summary>One placement measured for real and predicted by the twin.</summary>
/// <param name="Layout">Block ranges of the chain's servers, e.g. "0:4 | 4:8 | 8:12".</param>
/// <param name="RttsMs">Round trips asked of the emulator.</param>
/// <param name="PingRttsMs">Round trips measured through it (what the twin is given, as PETALS pings its servers).</param>
public sealed record SwarmValidationResult(string Layout, string RttsMs, string PingRttsMs, double MeasuredFirstTokenMs, double PredictedFirstTokenMs,
    double MeasuredPerTokenMs, double PredictedPerTokenMs, bool TokensEqualLocal)
{
    public double FirstTokenErrorPercent => 100 * (PredictedFirstTokenMs - MeasuredFirstTokenMs) / MeasuredFirstTokenMs;

    public double PerTokenErrorPercent => 100 * (PredictedPerTokenMs - MeasuredPerTokenMs) / MeasuredPerTokenMs;
}

/// <summary>
/// Starts a real swarm (block servers on loopback, the client's requests delayed by each server's round trip), runs
/// requests through it, and sets the measured first-token and per-token times beside the swarm twin's prediction
/// (<see cref="SwarmPerformanceModel"/>) with this machine's profiled constants: per hop the round trip, the hop's
/// overhead and the blocks' time, plus the client's embedding and head.
/// </summary>
public static class SwarmValidation
{
    public static async Task<SwarmValidationResult> RunAsync(string modelName, LlamaConfig config, int seed, IReadOnlyList<BlockRange> layout,
        IReadOnlyList<double> rttMs, RuntimeProfile profile, int promptTokens, int newTokens, int requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(rttMs);
        ArgumentNullException.ThrowIfNull(profile);
        if (layout.Count != rttMs.Count) throw new StamenInputException("validate", "--rtt-ms", "needs one round trip per server", "give as many as --layout has ranges");
        var full = SeededWeights.Create(config, seed);
        var local = new LocalModel(full);
        var servers = new List<BlockServer>();
        try
        {
            for (var i = 0; i < layout.Count; i++)
                servers.Add(await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(config, seed, layout[i], clientParts: false), layout[i]),
                    new BlockServerOptions($"s{i}", modelName, MaxTokensPerSession: promptTokens + newTokens, MaxSessions: 2), cancellationToken).ConfigureAwait(false));
            var delays = servers.Select((s, i) => (Key: s.Address.GetLeftPart(UriPartial.Authority), Rtt: TimeSpan.FromMilliseconds(rttMs[i])))
                .ToDictionary(x => x.Key, x => x.Rtt);
            using var control = new HttpClient();
            using var http = new HttpClient(DelayInjectingHandler.ByServer(delays));
            // The directory asks servers for /info without the emulated delay: only the session's requests cross the "network".
            var client = new SwarmClient(http, new StaticDirectory(control, [.. servers.Select(s => s.Address)]), local.Embedding, local.Head, config.Blocks, modelName);
            // Ping each server through the emulated link, as a client measures its network before routing.
            var pings = new double[servers.Count];
            for (var i = 0; i < servers.Count; i++)
            {
                var samples = new List<double>();
                for (var k = 0; k < 12; k++)
                {
                    var ping = Stopwatch.StartNew();
                    await http.GetStringAsync(new Uri(servers[i].Address, "/health"), cancellationToken).ConfigureAwait(false);
                    if (k >= 2) samples.Add(ping.Elapsed.TotalMilliseconds);
                }
                pings[i] = Median(samples);
            }
            var rng = new Random(seed);
            var prompt = Enumerable.Range(0, promptTokens).Select(_ => rng.Next(config.VocabSize)).ToArray();
            var expected = local.Generate(prompt, newTokens);
            var firsts = new List<double>();
            var perToken = new List<double>();
            var equal = true;
            for (var r = 0; r <= requests; r++)
            {
                var clock = Stopwatch.StartNew();
                var stamps = new List<double>();
                var report = await client.GenerateAsync(prompt, newTokens, _ => stamps.Add(clock.Elapsed.TotalMilliseconds), cancellationToken).ConfigureAwait(false);
                equal &= report.Tokens.SequenceEqual(expected);
                if (r == 0) continue; // the first request warms up connections and the JIT
                firsts.Add(stamps[0]);
                perToken.Add((stamps[^1] - stamps[0]) / Math.Max(1, stamps.Count - 1));
            }
            var predicted = Predict(modelName, config, layout, pings, profile, promptTokens, newTokens);
            return new SwarmValidationResult(string.Join(" | ", layout), string.Join("/", rttMs), string.Join("/", pings.Select(p => p.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))),
                Median(firsts), predicted.FirstTokenMs + profile.ClientMsPerToken,
                Median(perToken), predicted.PerTokenMs + profile.ClientMsPerToken, equal);
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync().ConfigureAwait(false);
        }
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

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
