using Stamen.Experiments;
using Stamen.Helix;
using Stamen.Plans;
using Stamen.Simulation.Cluster;

namespace Stamen.Tests.Helix;

/// <summary>
/// Helix's profiles read as its simulator reads them, its clusters as the batching twin's, the cluster
/// placement planners' invariants, and the twin on Helix's own single-region cluster.
/// </summary>
public sealed class ClusterPlanningTests
{
    private static string Data(string relative) => RepositoryData.PathTo(Path.Combine("helix", relative));

    private static readonly HelixModel Llama70 = HelixModel.Find("llama2_70b");

    private static HelixProfiles Profiles() => HelixProfiles.Load(Path.GetDirectoryName(Data("profiles/machine_settings.json"))!, "llama2_70b");

    private static ClusterPlanningInput Input(string cluster)
    {
        var helix = HelixClusterFile.Load(Data($"clusters/{cluster}.ini"));
        var tables = HelixThroughputs.Load(Data($"derived/{cluster}-llama2-70b/node_throughput.csv"), Data($"derived/{cluster}-llama2-70b/edge_capacity.csv"));
        return new ClusterPlanningInput(helix, HelixClusterSetup.ToCluster(helix, Profiles(), Llama70), tables);
    }

    [Fact]
    public void Profiles_KeepThePublishedKvTable_AndContinueItsLine()
    {
        var profiles = Profiles();
        Assert.Equal(7, profiles.All.Count);
        var a100 = profiles.For("A100", "f", "type");
        Assert.Equal(12, a100.MaxLayers);
        var batch = a100.ToBatchProfile(80);
        for (var k = 1; k <= 12; k++) Assert.Equal(a100.KvTokens(k) * k, batch.KvTokenLayers[k]);
        // Past the half-memory rule: a straight line, falling by about the same step the table falls.
        var step = batch.KvTokenLayers[11] - batch.KvTokenLayers[12];
        Assert.InRange(batch.KvTokenLayers[12] - batch.KvTokenLayers[13], step * 0.9, step * 1.1);
        Assert.InRange(batch.KvTokenLayers[15] - batch.KvTokenLayers[16], batch.KvTokenLayers[14] - batch.KvTokenLayers[15] - 1, batch.KvTokenLayers[14] - batch.KvTokenLayers[15] + 1);
        Assert.Equal(0, batch.KvTokenLayers[80]);
        Assert.Equal(a100.DecodeMaxTokensByLayers[12], batch.DecodeMaxTokens[40]);
        var unknown = Assert.Throws<StamenInputException>(() => profiles.For("H100", "c.ini", "[ComputeNode-3] type"));
        Assert.Contains("A100", unknown.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Profiles_Malformed_ErrorNamesTheEntryAndKey()
    {
        var dir = Directory.CreateTempSubdirectory("stamen-profiles");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "machine_settings.json"),
                """[{"model": "m", "gpu_dir": "../x", "machine": "A", "max_num_layers": 2}]""");
            var e = Assert.Throws<StamenInputException>(() => HelixProfiles.Load(dir.FullName, "m"));
            Assert.Equal("[0].gpu_dir", e.Field);
            File.WriteAllText(Path.Combine(dir.FullName, "machine_settings.json"), "{");
            Assert.Contains("not JSON", Assert.Throws<StamenInputException>(() => HelixProfiles.Load(dir.FullName, "m")).Problem, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Cluster_LinksBetweenMachinesServeBothWays()
    {
        var input = Input("single24");
        // 276 machine pairs, each both ways, plus 24 links from the coordinator and 24 to it.
        Assert.Equal(2 * 276 + 48, input.Spec.Links.Count);
        Assert.True(input.Spec.LinkIndex(15, 14) >= 0 && input.Spec.LinkIndex(14, 15) >= 0);
    }

    [Theory]
    [InlineData("single24")]
    [InlineData("3cluster24")]
    public void SwarmPlanner_EqualStages_EveryStageHeld_AndTheSameFlowAsHelixsSwarmOnOneRegion(string cluster)
    {
        var input = Input(cluster);
        var spans = new SwarmStagesPlanner(null).Plan(input);
        Assert.All(spans, s => Assert.Equal(4, s.Count));
        Assert.All(spans, s => Assert.Equal(0, s.Start % 4));
        Assert.Equal(20, spans.Select(s => s.Start).Distinct().Count());
        if (cluster == "single24")
        {
            // Helix's file stages the same machines in another order; the ceiling is the same.
            var helix = HelixLayoutFile.Load(Data("layouts/single24-llama2-70b/swarm_sol.ini"), 24, 80);
            Assert.Equal(PlacementMaxFlow.Compute(helix, 80, input.Throughputs).TokensPerSec, PlacementMaxFlow.Compute(spans, 80, input.Throughputs).TokensPerSec, 6);
        }
    }

    [Fact]
    public void SeparatePipelines_EachCoversTheModel_WithOneTypeOfMachine_WithinMemory()
    {
        var input = Input("single24");
        var pipelines = new SeparatePipelinesPlanner(1).Pipelines(input);
        Assert.NotEmpty(pipelines);
        foreach (var pipeline in pipelines)
        {
            Assert.Single(pipeline.Select(p => input.Cluster.Nodes[p.Node].Type).Distinct());
            var next = 0;
            foreach (var (node, span) in pipeline)
            {
                Assert.Equal(next, span.Start);
                Assert.InRange(span.Count, 1, input.MostLayersByMemory(node));
                next = span.End;
            }
            Assert.Equal(80, next);
        }
        // 8 L4s hold 10 layers each with room for a longest request; 12 T4s (7 layers) and 4 A100s (20) do not.
        Assert.Equal(["L4"], pipelines.Select(p => input.Cluster.Nodes[p[0].Node].Type));
    }

    [Fact]
    public void FlowSearch_NeverBelowItsStart_AndDeterministic()
    {
        var input = Input("single24");
        var start = PlacementMaxFlow.Compute(new SwarmStagesPlanner(null).Plan(input), 80, input.Throughputs).TokensPerSec;
        var planner = new FlowSearchPlanner(moves: 1_500, seed: 2, restarts: 3);
        var a = planner.Plan(input);
        Assert.Equal(a, planner.Plan(input));
        Assert.True(PlacementMaxFlow.Compute(a, 80, input.Throughputs).TokensPerSec >= start - 1e-9);
    }

    [Fact]
    public void HelixPlanner_TooLargeForItsLimit_KeepsTheFlowSearchPlacement_AndSaysSo()
    {
        var input = Input("single24");
        var result = new HelixMilpPlanner("scip", 1, maxVariables: 10, moves: 300, seed: 1, restarts: 1).PlanWithProof(input);
        Assert.Null(result.Solve);
        Assert.Contains("max_variables", result.Note, StringComparison.Ordinal);
        Assert.Equal(result.StartTokensPerSec, result.TokensPerSec);
        Assert.Equal(PlacementMaxFlow.Compute(result.Spans, 80, input.Throughputs).TokensPerSec, result.TokensPerSec, 9);
        Assert.Equal(SpanFlowMilp.ComputeBound(24, 80, input.Throughputs), result.ComputeBoundTokensPerSec);
    }

    [Fact]
    public void ClusterAsASwarm_ServersHoldHelixsMostLayers_AndPetalsPlacesThem()
    {
        var helix = HelixClusterFile.Load(Data("clusters/3cluster24.ini"));
        var machines = HelixMachines.Load(Data("clusters/machine_profiles.ini"));
        Assert.Equal((40e9, 1e10), (machines["A100"].VramBytes, machines["A100"].InboundBytesPerSec));
        var swarm = HelixSwarmImport.ToSwarm(helix, Profiles(), Llama70, machines);
        Assert.Equal(24, swarm.ServerCount);
        Assert.Equal(1, swarm.ClientCount);
        Assert.All(swarm.Servers, s => Assert.Equal(Profiles().For(s.GpuName, "f", "t").MaxLayers, s.MaxBlocks));
        // Cross-region pairs are 40-60 ms apart each way; within a region 1 ms.
        Assert.InRange(swarm.Delays.ServerRttMs(0, 23), 80, 120);
        var placement = Stamen.Placement.PlacementCatalog.Planners.Find("petals").Create()
            .Plan(new Stamen.Placement.PlanningContext(swarm, new Stamen.Workload.RequestShape(763, 232), 1, 0, 1)).Placement;
        for (var i = 0; i < 24; i++) Assert.InRange(placement.Spans[i].Count, 1, swarm.Servers[i].MaxBlocks);
        Assert.True(PlacementMaxFlow.Compute(placement.Spans, 80, Input("3cluster24").Throughputs, enterMidSpan: true).TokensPerSec > 0);
    }

    [Fact]
    public void Twin_OnSingle24_HelixsPlacementWithIwrr_DecodesUnderItsMaxFlow_AndAheadOfSwarm()
    {
        var input = Input("single24");
        var lengths = HelixClusterSetup.TraceLengths(RepositoryData.PathTo("traces/azure_conv_2023.csv"));
        var options = new ClusterRunOptions(WarmupS: 20, DurationS: 120);
        var helixSpans = HelixLayoutFile.Load(Data("layouts/single24-llama2-70b/ilp_sol.ini"), 24, 80);
        var flow = PlacementMaxFlow.Compute(helixSpans, 80, input.Throughputs);
        var helix = ClusterTwin.Run(input.Spec, helixSpans, new MaxFlowIwrrScheduler(input.Spec, HelixClusterSetup.Flows(flow)),
            new ClusterWorkload(FeedMode.KvWatermark, lengths), options);
        var swarmSpans = HelixLayoutFile.Load(Data("layouts/single24-llama2-70b/swarm_sol.ini"), 24, 80);
        var swarm = ClusterTwin.Run(input.Spec, swarmSpans, new SwarmEmaScheduler(input.Spec, swarmSpans),
            new ClusterWorkload(FeedMode.ClosedLoop, lengths) { Users = 180 }, options);
        Assert.Equal(0, helix.KvOverflows);
        // T_i(k) is a node's rate at a typical mix of prompt and decode tokens: decode alone stays well under the
        // ceiling, while prompt tokens (large batches, cheap per token) can pass it in a short window.
        Assert.InRange(helix.DecodeTokensPerSec, 1, flow.TokensPerSec);
        Assert.True(helix.DecodeTokensPerSec > 1.3 * swarm.DecodeTokensPerSec, $"helix {helix.DecodeTokensPerSec}, swarm {swarm.DecodeTokensPerSec}");
    }

    [Fact]
    public void Study_RowsForBothClusters_WithThePublishedFigures()
    {
        var data = Path.GetDirectoryName(Path.GetDirectoryName(RepositoryData.PathTo("traces/azure_conv_2023.csv")))!;
        var rows = HelixStudy.Run(new HelixStudySettings(data, WarmupS: 5, DurationS: 20, FlowSearchMoves: 300, OnlineDurationS: 20));
        Assert.Equal(21, rows.Count);
        Assert.Equal([252.1, 124.7, 124.3, 98.0, 51.9, 61.9, 459.8, 309.6], rows.Where(r => r.PublishedDecodeTokensPerSec is not null).Select(r => r.PublishedDecodeTokensPerSec!.Value));
        Assert.Equal(["helix", "swarm", "separate-pipelines"], rows.Where(r => r.PublishedDecodeTokensPerSec is not null).Select(r => r.Method).Distinct());
        Assert.Equal(952.11, rows.Single(r => r.Cluster == "3cluster24" && r.Placement.StartsWith("Helix's PETALS", StringComparison.Ordinal)).StaticMaxFlowTokensPerSec, 2);
        Assert.Equal(1_289.56, rows[0].StaticMaxFlowTokensPerSec, 2);
        Assert.All(rows, r => Assert.True(r.DecodeTokensPerSec >= 0));
    }

    [Theory]
    [InlineData("single24", "llama2_70b")]
    [InlineData("3cluster24", "llama2_70b")]
    [InlineData("cluster42", "llama2_70b")]
    [InlineData("cluster10", "llama1_30b")]
    public void TypicalThroughput_FromProfiles_EqualsTheTablesHelixsMilpUsed(string cluster, string modelName)
    {
        var model = HelixModel.Find(modelName);
        var helix = HelixClusterFile.Load(Data($"clusters/{cluster}.ini"));
        var profiles = HelixProfiles.Load(Path.GetDirectoryName(Data("profiles/machine_settings.json"))!, model.ProfileName);
        var computed = HelixTypicalThroughput.Compute(helix, profiles, model, HelixMachines.Load(Data("clusters/machine_profiles.ini")));
        var dir = $"derived/{cluster}-{model.ProfileName.Replace('_', '-')}";
        var published = HelixThroughputs.Load(Data($"{dir}/node_throughput.csv"), Data($"{dir}/edge_capacity.csv"));
        var rows = published.NodeRows().ToList();
        Assert.Equal(rows.Count, computed.NodeRows().Count());
        foreach (var (node, layers, tokens) in rows)
            Assert.Equal(tokens, computed.NodeTokensPerSec(node, layers)!.Value, tokens * 1e-9);
        Assert.Equal(published.Edges.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal),
            computed.Edges.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal));
    }

    [Fact]
    public void FlowWithoutLinkLimits_HandWorked()
    {
        // [0,2) at 10 then [2,4) at 5, beside [0,4) at 3: 5 + 3.
        Assert.Equal(8, PlacementMaxFlow.WithoutLinkLimits([new BlockSpan(0, 2), new BlockSpan(2, 2), new BlockSpan(0, 4)], 4, j => new[] { 10.0, 5, 3 }[j]), 9);
        // [0,3) at 10 then [2,4) at 4: no span starts at 3, so only entering mid-span carries anything (4).
        BlockSpan[] overlap = [new BlockSpan(0, 3), new BlockSpan(2, 2)];
        Assert.Equal(0, PlacementMaxFlow.WithoutLinkLimits(overlap, 4, j => new[] { 10.0, 4 }[j], enterMidSpan: false), 9);
        Assert.Equal(4, PlacementMaxFlow.WithoutLinkLimits(overlap, 4, j => new[] { 10.0, 4 }[j]), 9);
    }
}
