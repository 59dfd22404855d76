using System.Globalization;

namespace Stamen.Helix;

/// <summary>
/// Helix's T_i(k), computed as its planner computes it (published rule, reproduced to the last digit of the
/// tables its MILPs were built from: a test): a machine type's "typical" batch when holding k layers, from its
/// KV capacity at a 0.3 high-water mark, the trace's means (750 prompt, 240 output tokens) and the share of a
/// request's round trip its k layers take in this cluster; the tokens per second of that batch from the
/// profile tables; capped by the NIC over the activation bytes. The share depends on every type's speed, which
/// Helix estimates by ten passes of a fixed point from published seeds (the passes do not converge; ten is what
/// Helix runs). Link capacities: bandwidth over the bytes one token takes (hidden state between machines, a
/// 2-byte token id to and from the coordinator).
/// </summary>
public static class HelixTypicalThroughput
{
    private const double AverageInput = 750, AverageOutput = 240, KvHighWaterMark = 0.3;
    private const int Passes = 10;

    public static HelixThroughputs Compute(HelixCluster cluster, HelixProfiles profiles, HelixModel model, IReadOnlyDictionary<string, HelixMachine> machines,
        string file = "(cluster)")
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(machines);
        // Machine counts in Helix's order of types (the order only moves floating-point sums).
        var counts = cluster.Nodes.GroupBy(n => n.Type, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Type: g.Key, Count: g.Count(), Profile: profiles.For(g.Key, file, $"[ComputeNode-{g.First().Index}] type"))).ToArray();
        foreach (var (type, _, _) in counts)
            if (!model.TypicalLayers.ContainsKey(type))
                throw new StamenInputException(file, "type", $"Helix publishes no typical layers for machine type '{type}' with {model.ProfileName}",
                    $"use {string.Join(", ", HelixModel.MachineTypes)}, or give the throughput tables (--throughputs)");
        var typical = counts.Sum(c => c.Count * model.TypicalLayers[c.Type]) < model.Layers * 1.2 ? model.TypicalLayersSmall : model.TypicalLayers;
        var speed = counts.ToDictionary(c => c.Type, c => model.InitialSpeed[c.Type], StringComparer.OrdinalIgnoreCase);
        for (var pass = 0; pass < Passes; pass++)
            speed = counts.ToDictionary(c => c.Type, c => Typical(c.Profile, typical[c.Type], model, counts, typical, speed) * typical[c.Type], StringComparer.OrdinalIgnoreCase);

        var nodes = new Dictionary<(int, int), double>();
        foreach (var node in cluster.Nodes)
        {
            var profile = profiles.For(node.Type, file, $"[ComputeNode-{node.Index}] type");
            var nic = machines.TryGetValue(node.Type, out var m) ? Math.Min(m.InboundBytesPerSec, m.OutboundBytesPerSec) / model.ActivationBytesPerToken : double.PositiveInfinity;
            if (nic <= 0) nic = double.PositiveInfinity;
            for (var k = 1; k <= Math.Min(profile.MaxLayers, model.Layers); k++)
                nodes[(node.Index, k)] = Math.Min(Typical(profile, k, model, counts, typical, speed), nic);
        }
        // Each link followed by its reverse (not DirectedLinks' order): the order of the edges picks which of the
        // equal max flows the solver returns, and so the flows IWRR follows; kept as the figures were measured.
        var given = cluster.Links.Select(l => (l.From, l.To)).ToHashSet();
        var edges = new List<(string, string, double)>();
        foreach (var l in cluster.Links)
        {
            var tokens = l.BandwidthBytesPerSec / (l.From is HelixCluster.Source || l.To is HelixCluster.Sink ? 2 : model.ActivationBytesPerToken);
            edges.Add((l.From, l.To, tokens));
            if (HelixCluster.IsOneWayBetweenMachines(l, given)) edges.Add((l.To, l.From, tokens));
        }
        return HelixThroughputs.FromTables(nodes, edges);
    }

    private static int Order(string type)
    {
        for (var i = 0; i < HelixModel.MachineTypes.Count; i++)
            if (string.Equals(HelixModel.MachineTypes[i], type, StringComparison.OrdinalIgnoreCase)) return i;
        return int.MaxValue;
    }

    /// <summary>Tokens/s of type <paramref name="profile"/> holding k layers at its typical batch.</summary>
    private static double Typical(HelixGpuProfile profile, int k, HelixModel model, (string Type, int Count, HelixGpuProfile Profile)[] counts,
        IReadOnlyDictionary<string, int> typical, Dictionary<string, double> speed)
    {
        // The share of a request's round trip this machine's k layers take: others' layers at the cluster's mean layer time.
        double time = 0, layers = 0;
        foreach (var (type, count, _) in counts)
        {
            time += count * typical[type] * (1 / speed[type]);
            layers += count * typical[type];
        }
        var batch = k * (1 / speed[profile.Machine]);
        var ratio = batch / ((model.Layers - k) * (time / layers) + batch);

        var kvTokenLayers = (double)HelixGpuProfile.TokensPerKvBlock * profile.KvBlocksByLayers[k] * k;
        var available = Math.Truncate(KvHighWaterMark * kvTokenLayers / k);
        var promptRequests = available / (AverageInput + AverageOutput) * ratio / AverageOutput;
        var promptTokens = Math.Round(promptRequests * AverageInput, MidpointRounding.ToEven);
        var decodeTokens = Math.Round(available / (AverageInput + AverageOutput) * ratio, MidpointRounding.ToEven);
        if (promptRequests > 1) (promptRequests, promptTokens, decodeTokens) = (1, AverageInput, AverageOutput);
        if (promptRequests >= 1)
            return (promptTokens + decodeTokens) / (k * (Seconds(profile.Prompt, promptTokens) + Seconds(profile.Decode, decodeTokens)));
        var r = 1 / promptRequests;
        return r * (promptTokens + decodeTokens) / (k * (Seconds(profile.Prompt, Math.Truncate(promptTokens * r)) + Seconds(profile.Decode, decodeTokens) * r));
    }

    private static double Seconds(Performance.BatchTimeTable table, double tokens) =>
        tokens <= table.MaxTokens ? table.MsPerLayer(tokens) * 0.001
            : throw new StamenInputException("(profile)", "bs2time", string.Create(CultureInfo.InvariantCulture, $"a typical batch of {tokens} tokens is past the table's {table.MaxTokens}"),
                "profile larger batches");
}
