using Stamen.Experiments;
using Stamen.Scenarios;
using Stamen.Scenarios.Engine;
using Stamen.Sweeps;
using Stamen.Sweeps.Families;
using Stamen.Sweeps.Studies;

namespace Stamen.Tests.Sweeps;

/// <summary>
/// The local executor: its store summarises to what `stamen compare` computes, shards together equal one local run row for
/// row, a cancelled run resumes to the same rows with nothing twice, and the Parquet files hold exactly what was written.
/// </summary>
public sealed class SweepExecutionTests
{
    private static SweepStore NewStore() => new(Directory.CreateTempSubdirectory("stamen-store-").FullName);

    [Fact]
    public void A_cells_runs_summarise_to_the_comparison_stamen_compare_prints()
    {
        var plan = SweepFiles.Plan(SweepFiles.Small(runs: 4));
        var store = NewStore();
        var summary = SweepRunner.Run(plan, store, SweepShard.All);
        Assert.Equal(plan.Items.Count, summary.Ran);
        var rows = store.Read(plan).Rows;
        Assert.Equal(plan.RunCount, rows.Count);
        var summaries = SweepResults.Summarize(plan, rows);
        foreach (var cell in summaries)
        {
            var fromSweep = SwarmSweepComparison.Of(cell);
            var direct = new SwarmExperiment(ScenarioResolver.Create(ScenarioParser.ParseText(cell.Cell.ScenarioText, "direct", "."))).Compare(4);
            Assert.Equal(direct.Results.Select(r => r.Algorithm), fromSweep.Results.Select(r => r.Algorithm));
            for (var a = 0; a < direct.Results.Count; a++)
            {
                Assert.Equal(direct.Results[a].Metrics, fromSweep.Results[a].Metrics);
                Assert.Equal(direct.Results[a].PlanFigures, fromSweep.Results[a].PlanFigures);
                Assert.Equal(direct.Results[a].Published, fromSweep.Results[a].Published);
            }
        }
        // The two rates differ, so the comparison is not trivially equal everywhere.
        Assert.NotEqual(summaries[0].Algorithms[0].Metric("throughput_tokens_per_s"), summaries[1].Algorithms[0].Metric("throughput_tokens_per_s"));
    }

    [Fact]
    public void Shards_merged_equal_one_local_run_row_for_row()
    {
        var plan = SweepFiles.Plan(SweepFiles.Small(runs: 3));
        var local = NewStore();
        SweepRunner.Run(plan, local, SweepShard.All);
        var sharded = NewStore();
        for (var k = 0; k < 4; k++) SweepRunner.Run(plan, sharded, new SweepShard(k, 4), parallelism: 1);
        Assert.Equal(4, sharded.Files().Count);
        var a = local.Read(plan);
        var b = sharded.Read(plan);
        Assert.Equal(0, b.Duplicates);
        AssertSameRows(a.Rows, b.Rows);
        sharded.WriteMerged(plan, b.Rows);
        var merged = SweepStore.ReadFile(sharded.MergedPath, new HashSet<string>(["rate", "requests"]));
        Assert.Equal(b.Rows.Select(r => r.RunId), merged.Select(r => r.RunId));
        // Beside its parts, the merge is read once per run.
        var again = sharded.Read(plan);
        Assert.Equal(plan.RunCount, again.Rows.Count);
        Assert.Equal(plan.RunCount, again.Duplicates);
        Assert.Equal(0, again.Conflicts);
    }

    [Fact]
    public void A_cancelled_run_resumes_to_the_same_rows_with_nothing_twice()
    {
        var plan = SweepFiles.Plan(SweepFiles.Small(runs: 6));
        var full = NewStore();
        SweepRunner.Run(plan, full, SweepShard.All);

        var store = NewStore();
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfter(4, cancel);
        var first = SweepRunner.Run(plan, store, SweepShard.All, parallelism: 1, progress: progress, cancellation: cancel.Token);
        Assert.True(first.Cancelled);
        var partial = store.Read(plan).Rows.Count;
        Assert.InRange(partial, 1, plan.RunCount - 1);
        var second = SweepRunner.Run(plan, store, SweepShard.All);
        Assert.False(second.Cancelled);
        Assert.Equal(partial / 2, second.Skipped); // two algorithms per item
        var contents = store.Read(plan);
        Assert.Equal(0, contents.Duplicates);
        AssertSameRows(full.Read(plan).Rows, contents.Rows);
        // A third run has nothing to do.
        Assert.Equal(0, SweepRunner.Run(plan, store, SweepShard.All).Ran);
    }

    private sealed class CancelAfter(int items, CancellationTokenSource cancel) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value)
        {
            if (value.Done >= items) cancel.Cancel();
        }
    }

    [Fact]
    public async Task The_store_keeps_every_value_exactly_including_nan_and_its_columns_are_typed()
    {
        var plan = SweepFiles.Plan(SweepFiles.Small(runs: 1));
        var rows = new List<SweepRecord>
        {
            new(SweepPlan.RunId(plan.Cells[0], 0, 0), 0, "petals", 0, 7, [new("mean_time_per_token_s", 0.1 + 0.2), new("plan_r", double.NaN)], [new("run_ms", 3.5)], "v1")
            {
                Detail = """{"status":"Optimal","notes":["é"]}""",
            },
            new(SweepPlan.RunId(plan.Cells[1], 1, 0), 1, "cg-bp+ws-rr", 0, -3, [new("mean_time_per_token_s", double.Epsilon), new("plan_r", 1e300)], [], "v1"),
        };
        var folder = Directory.CreateTempSubdirectory("stamen-store-").FullName;
        var path = Path.Combine(folder, "x.parquet");
        File.WriteAllBytes(path, SweepStore.Encode(plan, rows));
        var back = SweepStore.ReadFile(path, new HashSet<string>(["rate", "requests"]));
        Assert.Equal(2, back.Count);
        Assert.Equal(0.1 + 0.2, back[0].Metrics.Single(m => m.Key == "mean_time_per_token_s").Value);
        Assert.True(double.IsNaN(back[0].Metrics.Single(m => m.Key == "plan_r").Value));
        Assert.Equal(double.Epsilon, back[1].Metrics.Single(m => m.Key == "mean_time_per_token_s").Value);
        Assert.Equal(1e300, back[1].Metrics.Single(m => m.Key == "plan_r").Value);
        Assert.Equal(-3, back[1].Seed);
        Assert.Equal(3.5, back[0].TimingsMs.Single().Value);
        Assert.True(double.IsNaN(back[1].TimingsMs.Single().Value));
        Assert.True(back[0].SameResults(rows[0] with { Cell = -1, TimingsMs = [] }));
        Assert.Equal(rows[0].Detail, back[0].Detail);
        Assert.Null(back[1].Detail);
        Assert.False(back[0].SameResults(rows[0] with { Cell = -1, Detail = "{}" }));

        var schema = (await Parquet.ParquetReader.ReadSchemaAsync(path)).GetDataFields().ToDictionary(f => f.Name, f => f.ClrType);
        Assert.Equal(typeof(double), schema["rate"]);      // every value a number: a numeric column
        Assert.Equal(typeof(int), schema["run"]);
        Assert.Equal(typeof(double), schema["timing_run_ms"]);
        Assert.Contains("stamen_version", schema.Keys);
        Assert.Equal(schema["algorithm"], schema[SweepStore.DetailColumn]); // a text column
        // A family without detail writes no such column, and its rows read back with none.
        File.WriteAllBytes(path, SweepStore.Encode(plan, [rows[1]]));
        Assert.DoesNotContain(SweepStore.DetailColumn, (await Parquet.ParquetReader.ReadSchemaAsync(path)).GetDataFields().Select(f => f.Name));
        Assert.Null(SweepStore.ReadFile(path, new HashSet<string>(["rate", "requests"])).Single().Detail);
    }

    [Fact]
    public void A_file_that_is_not_a_store_file_is_named_with_the_fix()
    {
        var store = NewStore();
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(Path.Combine(store.Directory, "part-00000-of-00001.parquet"), "not parquet");
        var plan = SweepFiles.Plan(SweepFiles.Small(runs: 1));
        var e = Assert.Throws<StamenInputException>(() => store.Read(plan));
        Assert.Contains("part-00000-of-00001.parquet", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable sweep results file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_belongs_to_one_sweep()
    {
        var store = NewStore();
        SweepRunner.Run(SweepFiles.Plan(SweepFiles.Small(runs: 1)), store, SweepShard.All);
        var other = SweepFiles.Plan(SweepFiles.Small(runs: 1).Replace("name: small", "name: other", StringComparison.Ordinal));
        var e = Assert.Throws<StamenInputException>(() => SweepRunner.Run(other, store, SweepShard.All));
        Assert.Contains("holds the results of sweep 'small'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_sweeps_run_zero_is_engine_compare_at_the_scenarios_seed()
    {
        var plan = SweepFiles.Plan("""
            family: engine
            base: default
            axes:
              rate:
                path: workload.poisson.rate_per_s
                values: [5, 20]
              requests:
                path: workload.poisson.requests
                values: [150]
            algorithms: [vllm, sarathi]
            runs: 2
            """);
        var store = NewStore();
        SweepRunner.Run(plan, store, SweepShard.All);
        var rows = store.Read(plan).Rows;
        Assert.Equal(8, rows.Count);
        foreach (var cell in plan.Cells)
        {
            var scenario = EngineScenarioParser.ParseText(cell.ScenarioText, "direct", ".");
            var direct = EngineComparison.Run(scenario, scenario.Seed);
            for (var a = 0; a < direct.Count; a++)
            {
                var row = rows.Single(r => r.Cell == cell.Index && r.Algorithm == direct[a].PolicyName && r.Run == 0);
                Assert.Equal(EngineSweepFamily.Named(direct[a].Metrics), row.Metrics);
                Assert.Equal(scenario.Seed, row.Seed);
            }
        }
        Assert.NotEqual(rows.Single(r => r.Cell == 0 && r.Run == 0 && r.Algorithm == "vllm").Metrics, rows.Single(r => r.Cell == 0 && r.Run == 1 && r.Algorithm == "vllm").Metrics);
    }

    [Fact]
    public void The_published_geo_grid_as_a_sweep_equals_the_geo_study()
    {
        var root = Scenarios.ScenarioFiles.RepositoryRoot;
        var plan = SweepPlanner.Plan(SweepParser.ParseFile(Path.Combine(root, "examples", "sweeps", "geo-published.yaml")));
        var store = NewStore();
        SweepRunner.Run(plan, store, SweepShard.All);
        var summaries = SweepResults.Summarize(plan, store.Read(plan).Rows);
        Assert.All(summaries, s => Assert.True(s.Complete));

        var scenarios = Stamen.Cli.Commands.ReproduceCommand.GeoScenarioFiles
            .Select(f => ScenarioParser.ParseFile(Path.Combine(root, "examples", f))).ToList();
        var study = GeoStudy.Run(scenarios, GeoStudy.PublishedRates, GeoStudy.PublishedOutputTokens, runs: null,
            algorithms: [AlgorithmChoice.Named("petals-published"), AlgorithmChoice.Named("cg-bp+ws-rr-published")]).Where(c => c.FixedDelays).ToList();
        Assert.Equal(12, study.Count);
        for (var i = 0; i < study.Count; i++)
        {
            var comparison = SwarmSweepComparison.Of(summaries[i]);
            Assert.Equal(study[i].Results.Scenario, comparison.Scenario);
            foreach (var algorithm in PublishedPair)
                foreach (var metric in plan.Definition.Metrics!)
                    Assert.Equal(study[i].Results.Results.Single(r => r.Algorithm == algorithm).Metric(metric),
                        comparison.Results.Single(r => r.Algorithm == algorithm).Metric(metric));
        }
    }

    private static readonly string[] PublishedPair = ["petals-published", "cg-bp+ws-rr-published"];

    private static void AssertSameRows(IReadOnlyList<SweepRecord> expected, IReadOnlyList<SweepRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Select(r => r.RunId), actual.Select(r => r.RunId));
        for (var i = 0; i < expected.Count; i++) Assert.True(expected[i].SameResults(actual[i]), $"row {i} ({expected[i].RunId}) differs");
    }
}
