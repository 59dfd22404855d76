using Stamen.Hardware;
using Stamen.Model;
using Stamen.Plans;
using Stamen.Swarm;

namespace Stamen.Tests.Support;

/// <summary>Small swarms built in code for tests, independent of catalogs and scenario files.</summary>
internal static class TestSwarms
{
    /// <summary>BLOOM-176B with NF4 weights, as in the reference (L = 70, d = 14336).</summary>
    public static ModelSpec Bloom(int blocks = 70) =>
        new("bloom-176b", blocks, 14336, 112, 112, 4 * 14336, 250880, 2_466_437_120, 4.25, 1.01, 2);

    public static readonly BlockTimes A100 = new(3.2197, 0.0743, 32.99);
    public static readonly BlockTimes Mig = new(16.2488, 0.1041, 206.35);
    public const double A100MemoryBytes = 79.13e9;
    public const double MigMemoryBytes = 8.2e9;

    public static ServerSpec A100Server(string name) => new(name, "a100-80gb", -1, A100MemoryBytes, A100, 70);
    public static ServerSpec MigServer(string name) => new(name, "a100-mig-1g.10gb", -1, MigMemoryBytes, Mig, 4);

    /// <summary>
    /// A random scattered swarm: a fraction <paramref name="a100Fraction"/> of A100s, the rest MIG,
    /// client-server propagation RTTs uniform in [<paramref name="minRttMs"/>, <paramref name="maxRttMs"/>],
    /// plus the reference's overheads (100 ms per token; 0.7049 ms per prompt token + 67 ms first token).
    /// </summary>
    public static SwarmSpec Random(int seed, int servers, int clients = 1, int blocks = 70, double a100Fraction = 0.2,
        double minRttMs = 2, double maxRttMs = 40)
    {
        var rng = new Random(seed);
        var list = new List<ServerSpec>();
        var a100s = Math.Max(1, (int)Math.Round(servers * a100Fraction));
        for (var j = 0; j < servers; j++)
            list.Add(j < a100s ? A100Server($"a100-{j}") : MigServer($"mig-{j}"));
        var prop = new double[clients, servers];
        for (var c = 0; c < clients; c++)
            for (var j = 0; j < servers; j++)
                prop[c, j] = minRttMs + rng.NextDouble() * (maxRttMs - minRttMs);
        return Build(Bloom(blocks), list, prop, rng);
    }

    /// <summary>A swarm with the given servers and client-server propagation RTTs (ms).</summary>
    public static SwarmSpec Build(ModelSpec model, IReadOnlyList<ServerSpec> servers, double[,] propagationRttMs, Random? rng = null)
    {
        var clients = propagationRttMs.GetLength(0);
        var n = servers.Count;
        var perToken = new double[clients, n];
        var firstBase = new double[clients, n];
        var firstPerPrompt = new double[clients, n];
        for (var c = 0; c < clients; c++)
            for (var j = 0; j < n; j++)
            {
                perToken[c, j] = propagationRttMs[c, j] + 100;
                firstBase[c, j] = propagationRttMs[c, j] + 67;
                firstPerPrompt[c, j] = 0.7049;
            }
        var serverRtt = new double[n, n];
        rng ??= new Random(0);
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                serverRtt[i, j] = serverRtt[j, i] = 1 + rng.NextDouble() * 40;
        var clientSpecs = Enumerable.Range(0, clients).Select(c => new ClientSpec($"client-{c}", -1)).ToList();
        return new SwarmSpec(model, servers, clientSpecs, new SwarmDelays(perToken, firstBase, firstPerPrompt, serverRtt, propagationRttMs));
    }

    /// <summary>
    /// A random instance for property tests, all drawn from <paramref name="seed"/>: 2-40 servers,
    /// L in {8, 20, 70}, 1-3 clients, 10-50% A100s.
    /// </summary>
    public static SwarmSpec RandomInstance(int seed)
    {
        var rng = new Random(seed);
        int[] lengths = [8, 20, 70];
        var blocks = lengths[rng.Next(lengths.Length)];
        var servers = rng.Next(2, 41);
        var clients = rng.Next(1, 4);
        var fraction = 0.1 + 0.4 * rng.NextDouble();
        return Random(rng.Next(), servers, clients, blocks, fraction);
    }

    /// <summary>A server with an explicit memory size (e.g. the reference's 86.13 GB A100 or 9.1 GB MIG).</summary>
    public static ServerSpec ServerWithMemory(string name, BlockTimes times, double memoryBytes, int maxBlocks) =>
        new(name, times == Mig ? "a100-mig-1g.10gb" : "a100-80gb", -1, memoryBytes, times, maxBlocks);

    /// <summary>
    /// A random covering placement of up to 6 servers over L &lt;= 8 blocks, spans anywhere, with a
    /// shared cache pool per server drawn by <paramref name="poolBytes"/> (called once per server, in order).
    /// </summary>
    public static (SwarmSpec Swarm, BlockPlacement Placement) SmallCoveringInstance(int seed, Func<Random, double> poolBytes)
    {
        var rng = new Random(seed);
        var blocks = rng.Next(2, 9);
        var swarm = Random(rng.Next(), servers: rng.Next(1, 7), clients: 2, blocks: blocks, a100Fraction: 0.5);
        while (true)
        {
            var spans = swarm.Servers.Select(_ =>
            {
                var start = rng.Next(blocks);
                return new BlockSpan(start, rng.Next(1, blocks - start + 1));
            }).ToList();
            var placement = new BlockPlacement(blocks, spans, spans.Select(_ => new CacheBudget(poolBytes(rng), false)).ToList());
            if (placement.FirstUncoveredBlock() is null) return (swarm, placement);
        }
    }
}
