using Stamen.Scenarios;
using Stamen.Tests.Scenarios;
using Stamen.Tests.Support;

namespace Stamen.Tests.Cli;

/// <summary>
/// Several scenarios in one process: each one's JSON in --out-dir is the JSON its own run writes; a folder expands to its
/// YAML files in name order; a bad scenario anywhere stops the batch before anything is written.
/// </summary>
public sealed class ScenarioBatchCliTests
{
    /// <summary>The built-in default with another seed and fewer requests (so each run is short and the two differ).</summary>
    private static string Variant(int seed, int requests) =>
        BuiltinScenarios.DefaultYaml.Replace("seed: 1", $"seed: {seed}", StringComparison.Ordinal)
            .Replace("requests: 200", $"requests: {requests}", StringComparison.Ordinal);

    [Fact]
    public void Compare_several_files_writes_each_ones_own_json()
    {
        using var folder = new TempFolder();
        var a = folder.Write("a.yaml", Variant(3, 30));
        var b = folder.Write("b.yaml", Variant(4, 40));
        Assert.Contains("requests: 30", File.ReadAllText(a), StringComparison.Ordinal); // the variant took
        var outDir = Path.Combine(folder.Path, "out");
        var batch = CliHarness.Run("compare", a, b, "--runs", "2", "--out-dir", outDir, "-q");
        Assert.Equal(0, batch.ExitCode);
        Assert.Contains("a (1 of 2)", batch.Out, StringComparison.Ordinal);
        Assert.Contains("b (2 of 2)", batch.Out, StringComparison.Ordinal);
        foreach (var (file, name) in new[] { (a, "a"), (b, "b") })
        {
            var single = Path.Combine(folder.Path, name + "-single.json");
            Assert.Equal(0, CliHarness.Run("compare", file, "--runs", "2", "--json", single, "-q").ExitCode);
            Assert.Equal(JsonResults.WithoutWallClock(single), JsonResults.WithoutWallClock(Path.Combine(outDir, name + ".json")));
        }
        Assert.NotEqual(JsonResults.WithoutWallClock(Path.Combine(outDir, "a.json")), JsonResults.WithoutWallClock(Path.Combine(outDir, "b.json")));
    }

    [Fact]
    public void A_folder_runs_its_yaml_files_in_name_order_and_engine_simulate_takes_several()
    {
        using var folder = new TempFolder();
        var scenarios = Path.Combine(folder.Path, "in");
        Directory.CreateDirectory(scenarios);
        File.WriteAllText(Path.Combine(scenarios, "z.yaml"), Variant(5, 20));
        File.WriteAllText(Path.Combine(scenarios, "m.yml"), Variant(6, 20));
        File.WriteAllText(Path.Combine(scenarios, "notes.txt"), "not a scenario");
        var outDir = Path.Combine(folder.Path, "out");
        var result = CliHarness.Run("simulate", scenarios, "-a", "petals", "--runs", "1", "--out-dir", outDir, "-q");
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Out.IndexOf("m (1 of 2)", StringComparison.Ordinal) < result.Out.IndexOf("z (2 of 2)", StringComparison.Ordinal), result.Out);
        Assert.Equal(["m.json", "z.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var engineOut = Path.Combine(folder.Path, "engine");
        var engine = CliHarness.Run("engine", "simulate", "default", ScenarioFiles.ExamplePath("engine-azure-code.yaml"), "-p", "vllm", "--out-dir", engineOut, "-q");
        Assert.Equal(0, engine.ExitCode);
        Assert.Equal(["default.json", "engine-azure-code.json"], Directory.GetFiles(engineOut).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Bad_batches_are_refused_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var good = folder.Write("good.yaml", Variant(3, 20));
        var bad = folder.Write("bad.yaml", Variant(3, -5));
        var outDir = Path.Combine(folder.Path, "out");
        var sub = Path.Combine(folder.Path, "sub");
        Directory.CreateDirectory(sub);
        var twin = Path.Combine(sub, "good.yaml");
        File.WriteAllText(twin, Variant(4, 20));
        var empty = Path.Combine(folder.Path, "empty");
        Directory.CreateDirectory(empty);
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["compare", good, bad, "--out-dir", outDir], "bad.yaml"),
            (["compare", good, good + ".nope", "--out-dir", outDir], "file not found"),
            (["compare", good, twin, "--out-dir", outDir], "two scenarios would both write good.json"),
            (["compare", good, "default"], "--out-dir: is needed with 2 scenarios"),
            (["compare", good, "default", "--out-dir", outDir, "--json", Path.Combine(folder.Path, "x.json")], "--json: writes one file, and 2 scenarios were given"),
            (["compare", good, "--out-dir", outDir], "--out-dir: is for several scenarios"),
            (["compare", empty], "holds no .yaml or .yml file"),
        })
        {
            var result = CliHarness.Run([.. args, "-q"]);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(outDir), "a refused batch made its output folder");
    }
}
