using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Runtime.Model;
using Stamen.Runtime.Swarm;

namespace Stamen.Runtime.Calibration;

/// <summary>
/// This machine's constants for the swarm twin, measured on the CPU runtime over all of the model's blocks: per-block
/// decode time, prefill time per token and fixed (a least-squares line over prompt lengths), the client's embedding
/// and head time per token, and one decode hop's overhead on loopback (serialisation, session lookup) beyond a ping and the blocks.
/// </summary>
public sealed record RuntimeProfile(string Model, double DecodeMsPerBlock, double PrefillMsPerToken, double PrefillFixedMs, double ClientMsPerToken,
    double HopOverheadMs, int Blocks, int HiddenSize)
{
    /// <summary>The block times in the GPU catalog's form.</summary>
    public BlockTimes Times => new(DecodeMsPerBlock, PrefillMsPerToken, PrefillFixedMs);

    /// <summary>A GPU-catalog entry (YAML, the schema of Catalogs/gpus.yaml) with this machine's calibration for the model.</summary>
    public string ToCatalogYaml(string name) => string.Create(CultureInfo.InvariantCulture, $"""
        # Measured by `stamen profile` on {Environment.MachineName}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({Environment.ProcessorCount} cores).
        # client_ms_per_token and hop_overhead_ms are not catalog fields: `stamen validate` reads them from here.
        gpus:
          - name: {name}
            peak_tflops: 0.05
            bandwidth_gb_per_sec: 20
            memory_gb: 8
            calibrations:
              {Model}:
                decode_ms_per_block: {DecodeMsPerBlock:0.######}
                prefill_ms_per_token: {PrefillMsPerToken:0.######}
                prefill_fixed_ms: {Math.Max(0, PrefillFixedMs):0.######}
        # client_ms_per_token: {ClientMsPerToken:0.######}
        # hop_overhead_ms: {HopOverheadMs:0.######}

        """);
}

/// <summary>Measures a <see cref="RuntimeProfile"/> on this machine (median of repeated runs after warm-up).</summary>
public static class RuntimeProfiler
{
    /// <summary>Prompt lengths the prefill line is fitted through: the range of typical prompts.</summary>
    private static readonly int[] PrefillLengths = [8, 16, 32, 64, 128];

    public static async Task<RuntimeProfile> MeasureAsync(string modelName, LlamaConfig config, LlamaWeights weights, int repetitions = 7,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        // Time every block of the model together, so weights stream from memory as they do when a server holds many blocks
        // (one block's 25 MB would sit in cache and run faster than any real server); report per block.
        var stack = new BlockStack(weights, BlockRange.All(config.Blocks));
        var perBlock = 1.0 / config.Blocks;
        var rng = new Random(1);
        float[] Rows(int n) => [.. Enumerable.Range(0, n * config.HiddenSize).Select(_ => rng.NextSingle() * 2 - 1)];

        // Decode: one token at a context of 64, re-run at the same position (a retried step overwrites it).
        var capacity = Math.Min(512, config.MaxPositions);
        var cache = stack.CreateCache(capacity);
        stack.Forward(cache, Rows(64), 0);
        var token = Rows(1);
        var lengths = PrefillLengths.Where(n => n <= capacity).ToArray();
        var prompts = lengths.Select(Rows).ToArray();
        // Tiered compilation optimises the kernels only after they have run a while: warm every case up for 2 s first,
        // or the first lengths measure several times slow and the prefill line gets a false intercept.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 2000)
        {
            stack.Forward(cache, (float[])token.Clone(), 64);
            foreach (var p in prompts) stack.Forward(stack.CreateCache(p.Length / config.HiddenSize), (float[])p.Clone(), 0);
        }
        var decodeMs = Median(repetitions * 5, () => stack.Forward(cache, (float[])token.Clone(), 64)) * perBlock;

        // Prefill: a least-squares line through prompt lengths 8-128 (a line through the origin if the intercept comes out negative).
        var times = lengths.Select((n, k) => Median(repetitions, () => stack.Forward(stack.CreateCache(n), (float[])prompts[k].Clone(), 0)) * perBlock).ToArray();
        var (slope, intercept) = Line(lengths.Select(n => (double)n).ToArray(), times);

        // Client: embedding and head for one token.
        var local = new LocalModel(weights);
        for (var w = Stopwatch.StartNew(); w.ElapsedMilliseconds < 500;) local.Head.Greedy(local.Embedding.Lookup([1]));
        var clientMs = Median(repetitions * 5, () => local.Head.Greedy(local.Embedding.Lookup([1])));

        // A hop on loopback with one block, less the block's own decode time.
        await using var server = await BlockServer.StartAsync(stack, new BlockServerOptions("profile", modelName, MaxTokensPerSession: capacity, MaxSessions: 1),
            cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient();
        using (var open = await http.PostAsync(new Uri(server.Address, "/sessions"),
            new StringContent($"{{\"session_id\":\"p\",\"max_tokens\":{capacity}}}", Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false))
            open.EnsureSuccessStatusCode();
        // Each decode takes the session's next position: start over with a short prefill before the session is full.
        var context = Rows(8);
        var position = capacity;
        async Task Decode()
        {
            if (position >= capacity - 1)
            {
                await Post(http, server.Address, "prefill", context, cancellationToken).ConfigureAwait(false);
                position = 8;
            }
            await Post(http, server.Address, "decode", token, cancellationToken).ConfigureAwait(false);
            position++;
        }
        for (var i = 0; i < 200; i++) await Decode().ConfigureAwait(false);
        var hopSamples = new List<double>();
        for (var i = 0; i < repetitions * 10; i++)
        {
            if (position >= capacity - 1) await Decode().ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await Decode().ConfigureAwait(false);
            hopSamples.Add(clock.Elapsed.TotalMilliseconds);
        }
        var hopMs = hopSamples.Order().ElementAt(hopSamples.Count / 2);
        // The twin is given round trips measured by pinging /health, which already carry HTTP's own cost: the hop
        // overhead is what a decode request costs beyond such a ping and the blocks' compute.
        var pingSamples = new List<double>();
        for (var i = 0; i < repetitions * 10; i++)
        {
            var clock = Stopwatch.StartNew();
            await http.GetStringAsync(new Uri(server.Address, "/health"), cancellationToken).ConfigureAwait(false);
            pingSamples.Add(clock.Elapsed.TotalMilliseconds);
        }
        var pingMs = pingSamples.Order().ElementAt(pingSamples.Count / 2);
        return new RuntimeProfile(modelName, decodeMs, slope, intercept, clientMs, Math.Max(0, hopMs - pingMs - decodeMs * config.Blocks), config.Blocks,
            config.HiddenSize);
    }

    private static async Task Post(HttpClient http, Uri server, string kind, float[] rows, CancellationToken ct)
    {
        using var content = new ByteArrayContent(HiddenCodec.Encode(rows));
        using var response = await http.PostAsync(new Uri(server, $"/sessions/p/{kind}"), content, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static double Median(int repetitions, Action action)
    {
        for (var i = 0; i < 3; i++) action();
        var samples = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(samples);
        return samples[repetitions / 2];
    }

    private static (double Slope, double Intercept) Line(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        var slope = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / x.Sum(v => (v - mx) * (v - mx));
        var intercept = my - slope * mx;
        return intercept >= 0 ? (slope, intercept) : (x.Zip(y).Sum(p => p.First * p.Second) / x.Sum(v => v * v), 0);
    }

    /// <summary>The model in the swarm twin's terms (fp32 weights and KV, as the runtime computes).</summary>
    public static ModelSpec ModelSpecOf(string name, LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ModelSpec(name, config.Blocks, config.HiddenSize, config.Heads, config.KvHeads, config.IntermediateSize, config.VocabSize,
            config.ParametersPerBlock, 32, 1, 4);
    }
}
