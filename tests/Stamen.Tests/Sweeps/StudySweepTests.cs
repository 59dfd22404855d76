using Stamen.Experiments;
using Stamen.Sweeps;
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
            Assert.NotEmpty(SweepPlanner.Plan(BuiltinSweeps.Load(name)).Cells);
        }
        Assert.Equal(2, CliHarness.Run("sweep", "show", "nope").ExitCode);
        Assert.Contains("or name a built-in sweep: engine-lora, split", CliHarness.Run("sweep", "plan", "nope.yaml").Error, StringComparison.Ordinal);
    }
}
