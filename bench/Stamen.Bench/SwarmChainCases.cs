using System.Globalization;
using Stamen.Runtime.Model;
using Stamen.Runtime.Swarm;

namespace Stamen.Bench;

/// <summary>
/// Tokens per second through a chain of three block servers on loopback (small-100m: blocks 0:4, 4:8, 8:12, Kestrel,
/// HTTP/1.1), against the same model in one process: what the network hops and serialisation cost. One session at a
/// time, greedy decoding of 32 tokens after an 8-token prompt.
/// </summary>
public sealed class SwarmChainCases(int repetitions, TextWriter log)
{
    public IEnumerable<BenchRow> Run() => RunAsync().GetAwaiter().GetResult();

    private async Task<List<BenchRow>> RunAsync()
    {
        var config = LlamaConfig.Small100M;
        const int Seed = 1;
        const int NewTokens = 32;
        var full = SeededWeights.Create(config, Seed);
        var local = new LocalModel(full);
        var prompt = Enumerable.Range(0, 8).Select(i => (i * 977) % config.VocabSize).ToArray();
        var servers = new List<BlockServer>();
        foreach (var (start, end) in new[] { (0, 4), (4, 8), (8, 12) })
            servers.Add(await BlockServer.StartAsync(new BlockStack(SeededWeights.Create(config, Seed, new BlockRange(start, end), clientParts: false)),
                new BlockServerOptions($"s{start}", "small-100m", MaxTokensPerSession: 64, MaxSessions: 4)).ConfigureAwait(false));
        using var http = new HttpClient();
        var client = new SwarmClient(http, new StaticDirectory(http, [.. servers.Select(s => s.Address)]), local.Embedding, local.Head, config.Blocks, "small-100m");
        var rows = new List<BenchRow>();
        try
        {
            IReadOnlyList<int> chainTokens = [];
            var chain = Measure.Run(repetitions, () => chainTokens = client.GenerateAsync(prompt, NewTokens).GetAwaiter().GetResult().Tokens);
            IReadOnlyList<int> localTokens = [];
            var single = Measure.Run(repetitions, () => localTokens = local.Generate(prompt, NewTokens));
            var equal = chainTokens.SequenceEqual(localTokens);
            foreach (var (name, t) in new[] { ("3-server chain on loopback", chain), ("one process", single) })
            {
                var perSec = NewTokens / (t.MedianMs / 1000);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  small-100m, {name,-28} {t.MedianMs,8:F0} ms for {NewTokens} tokens  {perSec,6:F1} tokens/s"));
                rows.Add(new BenchRow("runtime", $"generate, {name}", $"small-100m, 8 + {NewTokens} tokens", t.MedianMs, t.MinMs, t.SamplesMs.Count,
                    new Dictionary<string, double> { ["tokens_per_s"] = perSec, ["equal_tokens"] = equal ? 1 : 0 }));
            }
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync().ConfigureAwait(false);
        }
        return rows;
    }
}
