using Stamen.Sweeps;

namespace Stamen.Tests.Sweeps;

/// <summary>Sweep files expand into the cells their axes say, with ids that depend on the inputs only, and bad files say what is wrong.</summary>
public sealed class SweepPlanTests
{
    [Fact]
    public void Cells_are_the_product_of_bases_and_axes_with_the_last_axis_fastest()
    {
        var plan = SweepFiles.Plan("""
            name: grid
            family: swarm
            base: default
            axes:
              rate:
                path: workload.poisson.rate_per_s
                values: [0.2, 0.4, 0.6]
              servers:
                path: servers.count
                range: {from: 8, to: 12, step: 2}
            algorithms: [petals]
            runs: 2
            """);
        Assert.Equal(9, plan.Cells.Count);
        Assert.Equal(18, plan.Items.Count);
        Assert.Equal(18, plan.RunCount);
        Assert.Equal(["0.2", "8"], plan.Cells[0].Labels);
        Assert.Equal(["0.2", "10"], plan.Cells[1].Labels);
        Assert.Equal(["0.4", "8"], plan.Cells[3].Labels);
        // The override reached the scenario the cell runs.
        Assert.Contains("rate_per_s: 0.4", plan.Cells[3].ScenarioText, StringComparison.Ordinal);
        Assert.Contains("count: 8", plan.Cells[3].ScenarioText, StringComparison.Ordinal);
        Assert.Equal(9, plan.Cells.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Zipped_axes_move_together_and_null_removes_a_field()
    {
        var plan = SweepFiles.Plan("""
            family: swarm
            base: default
            axes:
              load:
                zip:
                  workload.poisson.rate_per_s: [0.2, 0.8]
                  workload.poisson.requests: [20, 40]
              delays:
                path: delays
                values: [null, {preset: published}]
            algorithms: [petals]
            runs: 1
            """);
        Assert.Equal(4, plan.Cells.Count);
        Assert.Equal(["0.2 / 20", "(none)"], plan.Cells[0].Labels);
        Assert.DoesNotContain("delays", plan.Cells[0].ScenarioText, StringComparison.Ordinal);
        Assert.Contains("requests: 40", plan.Cells[2].ScenarioText, StringComparison.Ordinal);
        Assert.Contains("rate_per_s: 0.8", plan.Cells[2].ScenarioText, StringComparison.Ordinal);
        Assert.Contains("published", plan.Cells[3].ScenarioText, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_depend_on_the_inputs_not_on_the_folder_comments_or_key_order()
    {
        var a = SweepFiles.Plan(SweepFiles.Small());
        var b = SweepFiles.Plan("# another folder, a comment and other key order\n" + SweepFiles.Small());
        Assert.Equal(a.Cells.Select(c => c.Id), b.Cells.Select(c => c.Id));
        Assert.Equal(RunIds(a), RunIds(b));

        // Another algorithm list keeps the cell ids (runs of the shared algorithm keep theirs too); another value does not.
        var fewer = SweepFiles.Plan(SweepFiles.Small().Replace("[petals, cg-bp+ws-rr]", "[cg-bp+ws-rr]", StringComparison.Ordinal));
        Assert.Equal(a.Cells.Select(c => c.Id), fewer.Cells.Select(c => c.Id));
        Assert.Subset(RunIds(a).ToHashSet(), RunIds(fewer).ToHashSet());
        var other = SweepFiles.Plan(SweepFiles.Small().Replace("[0.3, 0.6]", "[0.3, 0.7]", StringComparison.Ordinal));
        Assert.Equal(a.Cells[0].Id, other.Cells[0].Id);
        Assert.NotEqual(a.Cells[1].Id, other.Cells[1].Id);
        // Seeds are inputs: another seed is another cell.
        var seeded = SweepFiles.Plan(SweepFiles.Small(extra: "seed: 2"));
        Assert.NotEqual(a.Cells[0].Id, seeded.Cells[0].Id);
        // Ids are 16 hex digits, and every run id of a plan is distinct.
        Assert.All(RunIds(a), id => Assert.Matches("^[0-9a-f]{16}$", id));
        Assert.Equal(a.RunCount, RunIds(a).Distinct().Count());
    }

    private static List<string> RunIds(SweepPlan plan) =>
        [.. plan.Items.SelectMany(i => plan.Cells[i.Cell].Algorithms.Select((_, a) => SweepPlan.RunId(plan.Cells[i.Cell], a, i.Run)))];

    [Fact]
    public void Shards_split_the_items_into_contiguous_blocks_that_cover_them_once()
    {
        var plan = SweepFiles.Plan(SweepFiles.Small(runs: 5));
        foreach (var n in new[] { 1, 3, 4, 10, 25 })
        {
            var items = Enumerable.Range(0, n).SelectMany(k => plan.ItemsOf(new SweepShard(k, n))).Select(i => i.Index).ToList();
            Assert.Equal(Enumerable.Range(0, plan.Items.Count), items);
        }
    }

    [Theory]
    [InlineData("4/4", "shard 4 does not exist")]
    [InlineData("5/4", "shard 5 does not exist")]
    [InlineData("-1/4", "not a shard")]
    [InlineData("1/0", "N must be in 1..100,000")]
    [InlineData("a/b", "not a shard")]
    public void A_bad_shard_is_refused(string text, string problem)
    {
        var e = Assert.Throws<StamenInputException>(() => SweepShard.Parse(text, "--shard"));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("--shard", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rate: {path: workload.poisson.rat_per_s, values: [0.1]}", "axes.rate.path: 'workload.poisson.rat_per_s' is not a field of the swarm scenario")]
    [InlineData("rate: {path: workload.poisson.rate_per_s, values: []}", "is empty: an axis needs at least one value")]
    [InlineData("rate: {path: workload.poisson.rate_per_s}", "give values: or range:")]
    [InlineData("rate: {path: model.name, values: [x]}", "'model' holds a plain value, not fields")]
    [InlineData("rate: {path: 'workload..rate', values: [1]}", "is not a field path")]
    [InlineData("rate: {path: algorithms, values: [[petals]]}", "sets the algorithms")]
    [InlineData("run: {path: seed, values: [1, 2]}", "is a results column of its own")]
    [InlineData("Rate: {path: seed, values: [1, 2]}", "is not a column name")]
    [InlineData("mean_time_per_token_s: {path: seed, values: [1]}", "has a metric's name")]
    [InlineData("z: {zip: {workload.poisson.rate_per_s: [0.1, 0.2], seed: [1]}}", "its lists have different lengths")]
    [InlineData("r: {path: servers.count, range: {from: 4, to: 2, step: 1}}", "is below from")]
    [InlineData("r: {path: servers.count, range: {from: 1, to: 1e9, step: 1}}", "keep to 100,000")]
    [InlineData("r: {path: workload.poisson.rate_per_s, values: [-1]}", "is out of range")]
    [InlineData("r: {path: seed, values: [1, '1']}", "two values have the same label")]
    [InlineData("a: {path: seed, values: [1]}\n  b: {path: seed, values: [2]}", "axes 'a' and 'b' both set 'seed'")]
    [InlineData("a: {path: workload, values: [null]}\n  b: {path: workload.poisson.rate_per_s, values: [2]}", "both set 'workload'")]
    [InlineData("r: {path: workload.poison.rate_per_s, values: [0.1]}", "axes.r.path: 'workload.poison.rate_per_s' is not a field of the swarm scenario")]
    public void A_bad_axis_names_the_sweep_file_and_the_axis(string axis, string problem)
    {
        var message = SweepFiles.ErrorOf($"family: swarm\nbase: default\naxes:\n  {axis}\nalgorithms: [petals]\n");
        Assert.Contains(problem, message, StringComparison.Ordinal);
        Assert.Contains("sweep.yaml", message, StringComparison.Ordinal);
        Assert.Contains("Fix:", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("family: swarm\nbase: default\nbogus: 1\n", "unknown field 'bogus'")]
    [InlineData("family: quantum\nbase: default\n", "unknown family 'quantum'")]
    [InlineData("base: default\n", "family (line 1): is missing")]
    [InlineData("family: swarm\n", "base (line 1): is missing")]
    [InlineData("family: swarm\nbase: nowhere.yaml\n", "file not found")]
    [InlineData("family: swarm\nbase: [default, default]\n", "is listed twice")]
    [InlineData("family: swarm\nbase: default\nalgorithms: []\n", "algorithms (line 3): is empty")]
    [InlineData("family: swarm\nbase: default\nalgorithms: [petals, petals]\n", "listed twice")]
    [InlineData("family: swarm\nbase: default\nalgorithms: [nope]\n", "unknown algorithm 'nope'")]
    [InlineData("family: swarm\nbase: default\nmetrics: [speed]\n", "unknown metric 'speed'")]
    [InlineData("family: swarm\nbase: default\nruns: 0\n", "runs")]
    [InlineData("family: swarm\nbase: default\nruns: 20000\n", "too large")]
    [InlineData("family: engine\nbase: default\naxes:\n  r: {path: workload.poisson.rate_pr_s, values: [1]}\n", "is not a field of the engine scenario")]
    public void A_bad_sweep_file_says_what_and_where(string text, string problem)
    {
        var message = SweepFiles.ErrorOf(text);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builtin_sweeps_plan_with_the_published_grid_sizes()
    {
        var root = Scenarios.ScenarioFiles.RepositoryRoot;
        var geo = SweepPlanner.Plan(SweepParser.ParseFile(Path.Combine(root, "examples", "sweeps", "geo.yaml")));
        Assert.Equal(24, geo.Cells.Count);
        Assert.Equal(24 * 4 * 20, geo.RunCount);
        var published = SweepPlanner.Plan(SweepParser.ParseFile(Path.Combine(root, "examples", "sweeps", "geo-published.yaml")));
        Assert.Equal(12, published.Cells.Count);
        Assert.Equal(12 * 2 * 20, published.RunCount);
    }
}
