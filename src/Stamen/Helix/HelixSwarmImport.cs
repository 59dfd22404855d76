using System.Globalization;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Swarm;

namespace Stamen.Helix;

/// <summary>
/// A Helix cluster as a Stamen swarm, so the swarm planners (PETALS, CG-BP, GBP-CR, ...) place it: one server per
/// machine with its VRAM (Helix's <c>machine_profiles.ini</c>), its most layers by Helix's rule (weights in at most
/// half the VRAM, <c>max_num_layers</c>), per-block times from its profile at batch 1 (decode: twice the table at one
/// token, as Helix's simulator takes it; prefill: the prompt table's slope to its largest batch), and the coordinator as the one client; RTTs are
/// the links' latencies there and back.
/// </summary>
public static class HelixSwarmImport
{
    public static SwarmSpec ToSwarm(HelixCluster cluster, HelixProfiles profiles, HelixModel model, IReadOnlyDictionary<string, HelixMachine> machines, string file = "(cluster)")
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(machines);
        var spec = ModelCatalog.BuiltIn.Find(model.CatalogName);
        var n = cluster.Nodes.Count;
        var servers = new ServerSpec[n];
        foreach (var node in cluster.Nodes)
        {
            var profile = profiles.For(node.Type, file, $"[ComputeNode-{node.Index}] type");
            var vram = machines.TryGetValue(node.Type, out var v) && v.VramBytes > 0 ? v.VramBytes
                : throw new StamenInputException(file, $"[ComputeNode-{node.Index}] type", $"machine_profiles.ini gives no vram_size for '{node.Type}'", "add the type to machine_profiles.ini");
            var promptTop = profile.Prompt.MaxTokens;
            // One decode token: twice the table's value at 1, as Helix's simulator takes it (the tables start at two
            // tokens, so interpolating from 0 halves that time; its code doubles it back).
            var times = new BlockTimes(2 * profile.Decode.MsPerLayer(1), profile.Prompt.MsPerLayer(promptTop) / promptTop, 0);
            servers[node.Index] = new ServerSpec(node.Index.ToString(CultureInfo.InvariantCulture), node.Type, -1, vram, times, Math.Min(profile.MaxLayers, model.Layers));
        }
        var latency = cluster.DirectedLinks().ToDictionary(l => (l.From, l.To), l => l.LatencyMs);
        // A pair without a link is far: PETALS' routing treats an unmeasured pair as 150 ms.
        double Rtt(string a, string b, string c, string d) =>
            latency.GetValueOrDefault((a, b), SwarmDelays.UnknownServerRttMs / 2) + latency.GetValueOrDefault((c, d), SwarmDelays.UnknownServerRttMs / 2);
        var perToken = new double[1, n];
        var firstBase = new double[1, n];
        var perPrompt = new double[1, n];
        var between = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var name = j.ToString(CultureInfo.InvariantCulture);
            perToken[0, j] = firstBase[0, j] = Rtt(HelixCluster.Source, name, name, HelixCluster.Sink);
            for (var i = 0; i < n; i++)
                if (i != j) between[i, j] = Rtt(i.ToString(CultureInfo.InvariantCulture), name, name, i.ToString(CultureInfo.InvariantCulture));
        }
        return new SwarmSpec(spec, servers, [new ClientSpec("coordinator", -1)], new SwarmDelays(perToken, firstBase, perPrompt, between)) { ServersListed = true };
    }

}
