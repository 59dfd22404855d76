using Stamen.Experiments;
using Stamen.Sweeps;
using Stamen.Sweeps.Families;
using Stamen.Sweeps.Studies;
using Stamen.Tests.Cli;

namespace Stamen.Tests.Sweeps;

/// <summary>
/// The studies `stamen reproduce` runs as sweeps give the cells their own loops give, cell for cell; `set:` reaches
/// every cell; the built-in sweeps plan by name and print.
/// </summary>
public sealed class StudySweepTests
{
    private static IReadOnlyList<SweepCellSummary> Run(SweepDefinition definition, out SweepPlan plan)
    {
        plan = SweepPlanner.Plan(definition);
        var store = new SweepStore(Directory.CreateTempSubdirectory("stamen-store-").FullName);
        SweepRunner.Run(plan, store, SweepShard.All);
        return SweepResults.Summarize(plan, store.Read(plan).Rows);
    }

    /// <summary>Each sweep file (<paramref name="head"/> + its tail) fails naming the field and the problem.</summary>
    private static void AssertErrors(string head, (string Tail, string Field, string Problem)[] cases)
    {
        foreach (var (tail, field, problem) in cases)
        {
            var error = SweepFiles.ErrorOf(head + tail);
            Assert.Contains(field, error, StringComparison.Ordinal);
            Assert.Contains(problem, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_lora_grid_sweep_equals_the_grid_study_and_skips_more_slots_than_adapters()
    {
        var definition = SweepFiles.Plan("""
            family: lora-grid
            base: default
            set:
              duration_s: 60
              rate_per_adapter_per_s: 0.2
            axes:
              adapters:
                path: adapters
                values: [8, 24]
              slots:
                path: slots
                values: [8, 16]
            """).Definition;
        var summaries = Run(definition, out var plan);
        Assert.Equal(4, plan.Cells.Count);
        Assert.Empty(plan.Cells[1].Algorithms); // 16 slots for 8 adapters: vLLM caps it, no runs
        var cells = LoraGridSweep.Cells(summaries);
        var setup = new LoraGridSetup("llama-3.1-8b", [8, 16], 0.2, 60, new Stamen.Workload.UniformTokenCount(32, 1024), new Stamen.Workload.UniformTokenCount(16, 512));
        var direct = LoraGridStudy.Run(setup, [8, 24], [8, 16]);
        Assert.Equal(3, direct.Count);
        Assert.Equal(direct.Count, cells.Count);
        for (var i = 0; i < direct.Count; i++)
        {
            Assert.Equal((direct[i].Adapters, direct[i].Slots, direct[i].KvCapacityTokens, direct[i].StarvedAdapters, direct[i].KvSource),
                (cells[i].Adapters, cells[i].Slots, cells[i].KvCapacityTokens, cells[i].StarvedAdapters, cells[i].KvSource));
            Assert.Equal(direct[i].Metrics, cells[i].Metrics);
        }
        Assert.All(cells, c => Assert.NotNull(c.Metrics));
    }

    [Fact]
    public void The_split_sweep_equals_the_split_grid_on_a_slice_of_it()
    {
        var definition = BuiltinSweeps.Load("split") with
        {
            Axes = [.. BuiltinSweeps.Load("split").Axes.Select(a => a.Name switch
            {
                "model" => a with { Values = [a.Values[2]] },
                "sequence_tokens" => a with { Values = [a.Values[0]] },
                _ => a,
            })],
        };
        var summaries = Run(definition, out var plan);
        Assert.Equal(27, plan.Cells.Count);
        var cells = SplitGridSweep.Cells(plan, summaries);
        foreach (var c in cells)
        {
            var link = SplitGridStudy.Links.Single(l => l.Name == c.Link);
            Assert.Equal(SplitGridStudy.Cell(c.Model, c.Device, link, c.SequenceTokens, c.SlaFactor), c);
        }
        // Guard: the slice holds cells where the program saves server work, not only trivial ones.
        Assert.Contains(cells, c => c.ReductionVsServerOnlyPercent > 0);
    }

    [Fact]
    public void The_milp_gap_sweep_in_shards_equals_the_study_instance_for_instance()
    {
        var definition = SweepFiles.Plan("""
            family: milp-gap
            base: default
            set:
              seed: 5
              time_limit_s: 30
              instances: 6
            """).Definition;
        var plan = SweepPlanner.Plan(definition);
        Assert.Equal(6L * MilpGapSweepFamily.Rows.Count, plan.RunCount);
        var store = new SweepStore(Directory.CreateTempSubdirectory("stamen-store-").FullName);
        // Two shards, the second first: an instance solved alone is the study's instance.
        SweepRunner.Run(plan, store, SweepShard.Parse("1/2", "--shard"));
        SweepRunner.Run(plan, store, SweepShard.Parse("0/2", "--shard"));
        var report = MilpGapSweep.Report(plan, store.Read(plan).Rows, 5, 30);
        var direct = MilpGapStudy.Run(6, 5, 30);
        Assert.Equal(direct.Instances.Count, report.Instances.Count);
        for (var i = 0; i < direct.Instances.Count; i++)
        {
            var (d, r) = (direct.Instances[i], report.Instances[i]);
            Assert.Equal((d.Index, d.Servers, d.Clients, d.Blocks, d.Sessions, d.ArrivalRatePerSec), (r.Index, r.Servers, r.Clients, r.Blocks, r.Sessions, r.ArrivalRatePerSec));
            Assert.Equal(d.Heuristics, r.Heuristics);
            Assert.Equal((d.Milp.Status, d.Milp.ObjectiveMs, d.Milp.BestBoundMs, d.Milp.Gap, d.Milp.Start, d.Milp.Variables, d.Milp.Constraints),
                (r.Milp.Status, r.Milp.ObjectiveMs, r.Milp.BestBoundMs, r.Milp.Gap, r.Milp.Start, r.Milp.Variables, r.Milp.Constraints));
            Assert.Equal(d.Milp.Spans, r.Milp.Spans);
            Assert.Equal(d.Milp.Notes, r.Milp.Notes);
        }
        Assert.Equal(direct.Summaries, report.Summaries);
        // Guards: the MILP started from a heuristic somewhere, and some heuristic is above the optimum.
        Assert.Contains(report.Instances, i => i.Milp.Start is not null);
        Assert.Contains(report.Summaries, s => s.MaxGapPercent > 0);
    }

    [Fact]
    public void Milp_detail_survives_the_store_and_bad_milp_gap_cells_name_their_field()
    {
        var solution = new Stamen.Optimization.SwarmMilp.SwarmMilpSolution(Stamen.Optimization.Milp.MilpStatus.Feasible, [new(0, 3), new(2, 4)], [], 12.5, 11.25, 0.1, 7, 40, 50)
        {
            Start = ("cg-bp", 13.75),
            Notes = ["rounded \"x\" to 1e-6", "ünïcode"],
        };
        var back = MilpGapSweepFamily.ReadMilp(
            [new("objective_ms", 12.5), new("bound_ms", 11.25), new("relative_gap", 0.1), new("milp_variables", 40), new("milp_constraints", 50)],
            MilpGapSweepFamily.MilpDetail(solution), 7);
        Assert.Equal((solution.Status, solution.ObjectiveMs, solution.BestBoundMs, solution.Gap, solution.Start, solution.SolveTimeMs),
            (back.Status, back.ObjectiveMs, back.BestBoundMs, back.Gap, back.Start, back.SolveTimeMs));
        Assert.Equal(solution.Spans, back.Spans);
        Assert.Equal(solution.Notes, back.Notes);
        Assert.Null(MilpGapSweepFamily.ReadMilp([], MilpGapSweepFamily.MilpDetail(solution with { Start = null }), 1).Start);

        AssertErrors("family: milp-gap\nbase: default\n",
        [
            ("set:\n  solver: gurobi", "solver (line", "unknown MILP solver 'gurobi'"),
            ("set:\n  formulation: tight", "formulation (line", "unknown formulation 'tight'"),
            ("algorithms: [milp, nope]", "algorithms[1] (line", "expected one of the study's rows"),
            ("set:\n  sizes: {servers: [100]}", "sizes.servers[0] (line", "expected a whole number in 1..64"),
        ]);
        Assert.Contains("runs (line 3): 0 is out of range", SweepFiles.ErrorOf("family: milp-gap\nbase: default\nruns: 0"), StringComparison.Ordinal);

        // With sizes, instance r's size depends on the count: it is part of the cell's id, and runs: cannot go past it.
        var sized = "family: milp-gap\nbase: default\nset:\n  sizes: {servers: [4, 5], clients: [1]}\n  instances: ";
        Assert.NotEqual(SweepFiles.Plan(sized + "1").Cells[0].Id, SweepFiles.Plan(sized + "2").Cells[0].Id);
        Assert.Equal(4, SweepFiles.Plan(sized + "2").Cells[0].Runs);
        var beyond = SweepFiles.Plan(sized + "1\nruns: 3");
        var error = Assert.Throws<StamenInputException>(() => SweepRunner.Run(beyond, new SweepStore(Directory.CreateTempSubdirectory("stamen-store-").FullName), SweepShard.All));
        Assert.Contains("it has 2 (instances: per size)", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_helix_study_sweep_gives_the_studys_rows_on_any_cluster_row_pairing()
    {
        var data = Path.Combine(Stamen.Tests.Scenarios.ScenarioFiles.RepositoryRoot, "data");
        var definition = SweepFiles.Plan($$"""
            family: helix-study
            base: [single24, cluster42-online]
            set:
              data: {{data}}
              warmup_s: 5
              duration_s: 20
              online_duration_s: 20
              flow_search_moves: 300
              seed: 3
            algorithms: [helix, separate-pipelines, cg-bp, swarm-online]
            """).Definition;
        var plan = SweepPlanner.Plan(definition);
        Assert.Equal(2, plan.Cells.Count);
        var store = new SweepStore(Directory.CreateTempSubdirectory("stamen-store-").FullName);
        SweepRunner.Run(plan, store, SweepShard.All);
        var rows = HelixStudySweep.Rows(store.Read(plan).Rows);
        var settings = new HelixStudySettings(data, WarmupS: 5, DurationS: 20, Seed: 3, FlowSearchMoves: 300, OnlineDurationS: 20);
        string[] clusters = ["single24", "cluster42"], kinds = ["helix", "separate-pipelines", "cg-bp", "swarm-online"];
        var expected = clusters.SelectMany(c => kinds.Select(r => HelixStudy.Row(settings, new HelixStudyCluster(data, c), r))).ToList();
        Assert.Equal(expected, rows);
        // Guards: the published figures came through where the study has them, and an online row ran on an offline cluster.
        Assert.Equal(252.1, rows[0].PublishedDecodeTokensPerSec);
        Assert.Equal(309.6, rows[7].PublishedDecodeTokensPerSec);
        Assert.Contains(rows, r => r.Cluster == "single24 online" && r.PublishedDecodeTokensPerSec is null && r.DecodeTokensPerSec > 0);

        AssertErrors($"family: helix-study\nbase: default\nset:\n  data: {data}\n",
        [
            ("  cluster: cluster10", "cluster (line", "'cluster10' has no"),
            ("algorithms: [helix, nope]", "rows[1] (line", "expected one of the study's rows"),
            ("  swarm_users: 0", "swarm_users", "0 is not in 1.."),
            ("  duration_s: -1", "duration_s", "out of range"),
        ]);
        Assert.Contains("no helix/ folder in", SweepFiles.ErrorOf("family: helix-study\nbase: default\nset:\n  data: nowhere"), StringComparison.Ordinal);
    }

    [Fact]
    public void Set_gives_every_cell_one_value_and_may_not_meet_an_axis()
    {
        var plan = SweepFiles.Plan(SweepFiles.Small(runs: 1, extra: "set:\n  workload.poisson.prompt_tokens: 33\n  delays: null"));
        Assert.All(plan.Cells, c => Assert.Contains("prompt_tokens: 33", c.ScenarioText, StringComparison.Ordinal));
        Assert.All(plan.Cells, c => Assert.DoesNotContain("delays", c.ScenarioText, StringComparison.Ordinal));
        Assert.Contains("set: and axis 'set' and 'rate' both set 'workload.poisson.rate_per_s'",
            SweepFiles.ErrorOf(SweepFiles.Small(runs: 1, extra: "set:\n  workload.poisson.rate_per_s: 1")), StringComparison.Ordinal);
        Assert.Contains("set.workload.poisson.rat: 'workload.poisson.rat' is not a field",
            SweepFiles.ErrorOf(SweepFiles.Small(runs: 1, extra: "set:\n  workload.poisson.rat: 1")), StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_sweeps_plan_by_name_and_print()
    {
        foreach (var name in BuiltinSweeps.Names)
        {
            var show = CliHarness.Run("sweep", "show", name);
            Assert.Equal(0, show.ExitCode);
            Assert.Contains($"name: {name}", show.Out, StringComparison.Ordinal);
            var definition = BuiltinSweeps.Load(name);
            // The helix sweep reads data/ from the current folder; a test runs elsewhere.
            if (name == HelixStudySweep.Name)
                definition = definition with { Set = [new("data", new YamlDotNet.RepresentationModel.YamlScalarNode(Path.Combine(Stamen.Tests.Scenarios.ScenarioFiles.RepositoryRoot, "data")))] };
            Assert.NotEmpty(SweepPlanner.Plan(definition).Cells);
        }
        Assert.Equal(2, CliHarness.Run("sweep", "show", "nope").ExitCode);
        Assert.Contains("or name a built-in sweep: engine-lora, split, milp-gap, helix", CliHarness.Run("sweep", "plan", "nope.yaml").Error, StringComparison.Ordinal);
    }
}
