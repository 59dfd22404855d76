using Stamen.Scenarios;
using System.Text.Json;
using Stamen.Adapters;
using Stamen.Adapters.Placement;
using Stamen.Experiments;
using Stamen.Scenarios.Adapters;
using Stamen.Scenarios.Split;
using Stamen.Sweeps;
using Stamen.Tests.Cli;

namespace Stamen.Tests.Sweeps;

/// <summary>
/// The adapters, split and helix families: a sweep's run 0 gives exactly what the family's own command computes for the
/// same scenario, and later runs draw other arrivals.
/// </summary>
public sealed class SweepFamilyTests
{
    private static (SweepPlan Plan, IReadOnlyList<SweepRecord> Rows) Run(string text)
    {
        var plan = SweepFiles.Plan(text);
        var store = new SweepStore(Directory.CreateTempSubdirectory("stamen-store-").FullName);
        SweepRunner.Run(plan, store, SweepShard.All);
        var rows = store.Read(plan).Rows;
        Assert.Equal(plan.RunCount, rows.Count);
        return (plan, rows);
    }

    private static double Metric(SweepRecord row, string name) => row.Metrics.Single(m => m.Key == name).Value;

    [Fact]
    public void Adapters_run_zero_is_adapters_verify()
    {
        var (plan, rows) = Run("""
            family: adapters
            base: default
            axes:
              rate:
                path: generate.zipf.total_per_s
                values: [4, 10]
              count:
                path: generate.count
                values: [30]
            algorithms: [greedy, balanced]
            runs: 2
            """);
        foreach (var cell in plan.Cells)
        {
            // The cell's workload without the sweep's methods: field, as `adapters verify` reads a workload file.
            var root = Stamen.Scenarios.YamlFields.LoadDocument(cell.ScenarioText, "direct", "");
            ScenarioPaths.Set(root, "methods", null);
            var workload = AdapterWorkloadParser.ParseText(ScenarioPaths.Emit(root), "direct");
            var study = AdapterPlacementStudy.Run(workload, AdapterPredictorFile.Resolve("twin", workload.Twin),
                [AdapterPlacerCatalog.Find("greedy"), AdapterPlacerCatalog.Find("balanced")], verifySeed: workload.Seed + 1);
            foreach (var method in study.Methods)
            {
                var row = rows.Single(r => r.Cell == cell.Index && r.Algorithm == method.Placement.Method && r.Run == 0);
                Assert.Equal(method.Placement.GpuCount, Metric(row, "gpus"));
                Assert.Equal(study.LowerBound.Gpus, Metric(row, "lower_bound_gpus"));
                Assert.Equal(method.Verification!.StarvedGpus, Metric(row, "starved_gpus"));
                Assert.Equal(method.Verification.ThroughputTokensPerSec, Metric(row, "throughput_tokens_per_s"));
                Assert.Equal(workload.Seed + 1, row.Seed);
            }
        }
        var first = rows.Where(r => r.Run == 0).Select(r => Metric(r, "throughput_tokens_per_s"));
        var second = rows.Where(r => r.Run == 1).Select(r => Metric(r, "throughput_tokens_per_s"));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Split_run_zero_is_split_simulate()
    {
        var (plan, rows) = Run("""
            family: split
            base: default
            axes:
              gpus:
                path: server_gpus
                values: [1, 3]
            runs: 2
            """);
        foreach (var cell in plan.Cells)
        {
            var scenario = SplitScenarioParser.ParseText(cell.ScenarioText, "direct");
            var plans = SplitStudy.Plan(scenario);
            foreach (var m in SplitStudy.Simulate(scenario, plans))
            {
                var row = rows.Single(r => r.Cell == cell.Index && r.Algorithm == m.Method && r.Run == 0);
                Assert.Equal(m.MeanLatencyMs, Metric(row, "mean_latency_ms"));
                Assert.Equal(m.CapacityPerSec, Metric(row, "capacity_per_s"));
                Assert.Equal(m.SlaViolationFraction, Metric(row, "sla_violation_fraction"));
            }
        }
        // Server only saves nothing; the dynamic program saves some work.
        Assert.All(rows.Where(r => r.Algorithm == "server-only"), r => Assert.Equal(0, Metric(r, "server_work_saved_fraction")));
        Assert.Contains(rows, r => r.Algorithm == "dp" && Metric(r, "server_work_saved_fraction") > 0);
    }

    [Fact]
    public void Helix_run_zero_is_helix_simulate()
    {
        var root = Scenarios.ScenarioFiles.RepositoryRoot;
        var dir = Directory.CreateTempSubdirectory("stamen-helix-sweep-").FullName;
        var cluster = Path.Combine(root, "data", "helix", "clusters", "cluster10.ini");
        var layout = Path.Combine(root, "data", "helix", "layouts", "cluster10-llama1-30b", "ilp_sol.ini");
        SweepFiles.Write(dir, $"""
            cluster: {cluster}
            model: llama1_30b
            feed: closed
            users: 10
            warmup_s: 10
            duration_s: 40
            seed: 3
            placements: [flow-search, {"{"}layout: {layout}, name: helix-milp{"}"}]
            """, "cluster.yaml");
        var (plan, rows) = Run($"family: helix\nbase: {Path.Combine(dir, "cluster.yaml")}\naxes:\n  users:\n    path: users\n    values: [5, 10]\nruns: 2\n");
        Assert.Equal(2 * 2 * 2, rows.Count);
        foreach (var (placement, args) in new[] { ("flow-search", new[] { "--planner", "flow-search" }), ("helix-milp", new[] { layout }) })
        {
            var json = Path.Combine(dir, placement + ".json");
            var result = CliHarness.Run(["helix", "simulate", cluster, .. args, "--model", "llama1_30b", "--feed", "closed", "--users", "5", "--warmup-s", "10",
                "--duration-s", "40", "--seed", "3", "--json", json, "--quiet"]);
            Assert.True(result.ExitCode == 0, result.Error);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var row = rows.Single(r => r.Cell == 0 && r.Algorithm == placement && r.Run == 0);
            Assert.Equal(doc.RootElement.GetProperty("decode_tokens_per_s").GetDouble(), Metric(row, "decode_tokens_per_s"));
            Assert.Equal(doc.RootElement.GetProperty("requests_finished").GetInt64(), Metric(row, "requests_finished"));
            Assert.Equal(doc.RootElement.GetProperty("static_max_flow_tokens_per_s").GetDouble(), Metric(row, "static_max_flow_tokens_per_s"));
        }
        Assert.NotEqual(Metric(rows[0], "decode_tokens_per_s"), Metric(rows.Single(r => r.Cell == 0 && r.Algorithm == rows[0].Algorithm && r.Run == 1), "decode_tokens_per_s"));
    }

    [Theory]
    [InlineData("family: adapters\nbase: default\nalgorithms: [nope]\n", "unknown")]
    [InlineData("family: adapters\nbase: default\naxes:\n  p: {path: predictor, values: [missing.json]}\n", "file not found")]
    [InlineData("family: split\nbase: default\nalgorithms: [nope]\n", "nope")]
    [InlineData("family: helix\nbase: default\n", "file not found")]
    public void A_bad_family_cell_is_refused_before_running(string text, string problem) =>
        Assert.Contains(problem, SweepFiles.ErrorOf(text), StringComparison.Ordinal);
}
