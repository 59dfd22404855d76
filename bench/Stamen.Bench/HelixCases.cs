using System.Globalization;
using Stamen.Helix;
using Stamen.Plans;
using Stamen.Simulation.Cluster;

namespace Stamen.Bench;

/// <summary>
/// Issue 16: the flow-search placement on Helix's 24- and 42-machine clusters (20,000 moves x 8 restarts), and
/// the batching twin's speed on single24 with Helix's placement and scheduler (simulated decode tokens per wall second).
/// </summary>
public sealed class HelixCases(int repetitions, TextWriter log)
{
    public IEnumerable<BenchRow> Run()
    {
        var data = RepositoryData.Find("helix") is { } helix ? Path.GetDirectoryName(helix)! : null;
        if (data is null)
        {
            log.WriteLine("  skipped: data/helix not found above the working folder");
            yield break;
        }
        var model = HelixModel.Find("llama2_70b");
        var profiles = HelixProfiles.Load(Path.Combine(data, "helix", "profiles"), model.ProfileName);
        foreach (var name in new[] { "single24", "cluster42" })
        {
            var input = Input(data, name, profiles, model);
            IReadOnlyList<BlockSpan>? spans = null;
            var t = Measure.Run(repetitions, () => spans = new FlowSearchPlanner(20_000, 1).Plan(input));
            var flow = PlacementMaxFlow.Compute(spans!, model.Layers, input.Throughputs).TokensPerSec;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  flow-search {name,-10} ({input.NodeCount} machines) median {t.MedianMs,8:F0} ms, max flow {flow:N2} tokens/s"));
            yield return new BenchRow("helix", $"flow-search {name}", $"{input.NodeCount} machines", t.MedianMs, t.MinMs, t.SamplesMs.Count,
                new Dictionary<string, double> { ["max_flow_tokens_per_s"] = flow });
        }

        var single = Input(data, "single24", profiles, model);
        var ilp = HelixLayoutFile.Load(Path.Combine(data, "helix", "layouts", "single24-llama2-70b", "ilp_sol.ini"), single.NodeCount, model.Layers);
        var flows = HelixClusterSetup.Flows(PlacementMaxFlow.Compute(ilp, model.Layers, single.Throughputs));
        var workload = new ClusterWorkload(FeedMode.KvWatermark, HelixClusterSetup.TraceLengths(Path.Combine(data, "traces", "azure_conv_2023.csv")));
        ClusterRunResult? result = null;
        var twin = Measure.Run(repetitions, () => result = ClusterTwin.Run(single.Spec, ilp, new MaxFlowIwrrScheduler(single.Spec, flows), workload, new ClusterRunOptions()));
        var simulatedTokens = result!.DecodeTokensPerSec * 600;
        var perWallS = simulatedTokens / (twin.MedianMs / 1000);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  batching twin single24, Helix's placement, 660 s simulated: median {twin.MedianMs,8:F0} ms, {result.EventsProcessed:N0} events, {perWallS:N0} decode tokens per wall second"));
        yield return new BenchRow("helix", "batching twin single24 (660 s, maxflow-iwrr)", "24 machines", twin.MedianMs, twin.MinMs, twin.SamplesMs.Count,
            new Dictionary<string, double> { ["decode_tokens_per_wall_s"] = perWallS, ["events"] = result.EventsProcessed, ["decode_tokens_per_s"] = result.DecodeTokensPerSec });
    }

    private static ClusterPlanningInput Input(string data, string name, HelixProfiles profiles, HelixModel model)
    {
        var cluster = HelixClusterFile.Load(Path.Combine(data, "helix", "clusters", name + ".ini"));
        var derived = Path.Combine(data, "helix", "derived", $"{name}-llama2-70b");
        return new ClusterPlanningInput(cluster, HelixClusterSetup.ToCluster(cluster, profiles, model),
            HelixThroughputs.Load(Path.Combine(derived, "node_throughput.csv"), Path.Combine(derived, "edge_capacity.csv")));
    }
}
