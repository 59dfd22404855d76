using Stamen.Hardware;
using Stamen.Model;
using Stamen.Performance;
using Stamen.Swarm;

namespace Stamen.Bench;

/// <summary>
/// Swarms built directly in code (no scenario files, no topology) so that large instances cost
/// only what the planners and the twin cost. Delays follow the reference's overheads: 100 ms per
/// decode round trip, 67 ms + 0.7049 ms per prompt token for the first token. The server-server
/// matrix is left out (null) because a 10,000-server matrix would take 800 MB and the hub-spoke
/// model never reads it.
/// </summary>
public static class BenchSwarms
{
    private static readonly BlockTimeModel Times = new();

    /// <summary>llama-2-70b (80 blocks) on 20% a100-80gb, 40% a100-40gb, 40% l40s, clients at 5-150 ms.</summary>
    public static SwarmSpec PlannerSwarm(int servers, int clients, int seed)
    {
        var model = ModelCatalog.BuiltIn.Find("llama-2-70b");
        var mix = new (string Gpu, double Fraction)[] { ("a100-80gb", 0.2), ("a100-40gb", 0.4), ("l40s", 0.4) };
        return Build(model, Servers(model, servers, mix), clients, 5, 150, seed);
    }

    /// <summary>bloom-176b on 20 a100-80gb + 80 MIG slices (the published scattered setup's hardware).</summary>
    public static SwarmSpec TwinSwarm(int clients, int seed)
    {
        var model = ModelCatalog.BuiltIn.Find("bloom-176b");
        var mix = new (string Gpu, double Fraction)[] { ("a100-80gb", 0.2), ("a100-mig-1g.10gb", 0.8) };
        return Build(model, Servers(model, 100, mix), clients, 5, 150, seed);
    }

    /// <summary>
    /// bloom-176b cut to <paramref name="blocks"/> blocks on alternating a100-80gb and a100-mig-1g.10gb
    /// servers (calibrated times) for the exact MILP. Memory is scaled so that the servers together hold
    /// about 1.6 L blocks with cache for <paramref name="sessions"/> sessions, an A100 about 1.5 times a
    /// MIG slice, and no server holds every block (for 2 servers or more): the placement is a real choice.
    /// </summary>
    public static SwarmSpec MilpSwarm(int servers, int blocks, int clients, int sessions, double sessionCacheBytesPerBlock, int seed)
    {
        var model = ModelCatalog.BuiltIn.Find("bloom-176b") with { NumBlocks = blocks };
        var rng = new Random(seed);
        var kinds = new[] { GpuCatalog.BuiltIn.Find("a100-80gb"), GpuCatalog.BuiltIn.Find("a100-mig-1g.10gb") };
        var weights = Enumerable.Range(0, servers).Select(j => (j % 2 == 0 ? 1.5 : 1.0) * (0.9 + 0.2 * rng.NextDouble())).ToArray();
        var bytesPerHeldBlock = model.BlockBytes + sessions * sessionCacheBytesPerBlock;
        var list = new List<ServerSpec>(servers);
        for (var j = 0; j < servers; j++)
        {
            var gpu = kinds[j % 2];
            var heldBlocks = Math.Min(1.6 * blocks * weights[j] / weights.Sum(), blocks - 0.5);
            list.Add(new ServerSpec($"{gpu.Name}-{j}", gpu.Name, -1, heldBlocks * bytesPerHeldBlock, Times.Resolve(gpu, model), blocks));
        }
        return Build(model, list, clients, 5, 150, seed);
    }

    private static List<ServerSpec> Servers(ModelSpec model, int count, (string Gpu, double Fraction)[] mix)
    {
        var list = new List<ServerSpec>(count);
        foreach (var (gpuName, fraction) in mix)
        {
            var gpu = GpuCatalog.BuiltIn.Find(gpuName);
            var times = Times.Resolve(gpu, model);
            var share = gpuName == mix[^1].Gpu ? count - list.Count : (int)Math.Round(count * fraction);
            for (var k = 0; k < share; k++)
                list.Add(new ServerSpec($"{gpu.Name}-{list.Count}", gpu.Name, -1, gpu.MemoryBytes, times, gpu.MaxBlocks ?? model.NumBlocks));
        }
        return list;
    }

    private static SwarmSpec Build(ModelSpec model, List<ServerSpec> servers, int clients, double minRttMs, double maxRttMs, int seed)
    {
        var rng = new Random(seed);
        var n = servers.Count;
        var propagation = new double[clients, n];
        var perToken = new double[clients, n];
        var firstBase = new double[clients, n];
        var firstPerPrompt = new double[clients, n];
        for (var c = 0; c < clients; c++)
            for (var j = 0; j < n; j++)
            {
                var rtt = minRttMs + rng.NextDouble() * (maxRttMs - minRttMs);
                propagation[c, j] = rtt;
                perToken[c, j] = rtt + 100;
                firstBase[c, j] = rtt + 67;
                firstPerPrompt[c, j] = 0.7049;
            }
        var clientSpecs = Enumerable.Range(0, clients).Select(c => new ClientSpec($"client-{c}", -1)).ToList();
        return new SwarmSpec(model, servers, clientSpecs, new SwarmDelays(perToken, firstBase, firstPerPrompt, null, propagation));
    }
}
