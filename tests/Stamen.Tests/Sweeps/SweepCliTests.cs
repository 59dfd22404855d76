using System.Diagnostics;
using System.Text.Json;
using Stamen.Tests.Cli;
using YamlDotNet.RepresentationModel;

namespace Stamen.Tests.Sweeps;

/// <summary>The `stamen sweep` commands end to end in process: plan, run, status, collect, report, and the job files submit writes.</summary>
public sealed class SweepCliTests
{
    [Fact]
    public void Plan_run_status_collect_and_report_agree_on_one_store()
    {
        var dir = Directory.CreateTempSubdirectory("stamen-sweep-cli-").FullName;
        var file = SweepFiles.Write(dir, SweepFiles.Small(runs: 2));
        var store = Path.Combine(dir, "store");

        var plan = CliHarness.Run("sweep", "plan", file, "--json", Path.Combine(dir, "plan.json"));
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("2 cells x 2 algorithms x 2 runs = 8 runs", plan.Out, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "plan.json"))))
        {
            Assert.Equal(8, doc.RootElement.GetProperty("runs").GetInt32());
            Assert.Equal(2, doc.RootElement.GetProperty("cell_list").GetArrayLength());
        }

        var half = CliHarness.Run("sweep", "run", file, "--store", store, "--shard", "0/2", "--quiet");
        Assert.Equal(0, half.ExitCode);
        Assert.Contains("shard 0/2: 2 items, 0 already in the store, 2 run now", half.Out, StringComparison.Ordinal);
        var status = CliHarness.Run("sweep", "status", file, "--store", store, "--json", Path.Combine(dir, "status.json"));
        Assert.Contains("4 of 8 runs", status.Out, StringComparison.Ordinal);
        var collectHalf = CliHarness.Run("sweep", "collect", file, "--store", store);
        Assert.Contains("4 runs are missing", collectHalf.Out, StringComparison.Ordinal);

        var rest = CliHarness.Run("sweep", "run", file, "--store", store, "--quiet", "--json", Path.Combine(dir, "run.json"));
        Assert.Equal(0, rest.ExitCode);
        Assert.Contains("4 items, 2 already in the store, 2 run now", rest.Out, StringComparison.Ordinal);
        var collect = CliHarness.Run("sweep", "collect", file, "--store", store);
        Assert.Contains("the sweep is complete", collect.Out, StringComparison.Ordinal);

        var report = CliHarness.Run("sweep", "report", file, "--store", store, "--report", Path.Combine(dir, "r.html"), "--json", Path.Combine(dir, "r.json"),
            "--markdown", Path.Combine(dir, "r.md"));
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "r.html")), StringComparison.Ordinal);
        var markdown = File.ReadAllLines(Path.Combine(dir, "r.md"));
        Assert.Equal(2 + 4, markdown.Length); // header, separator, 2 cells x 2 algorithms
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "r.json")));
        Assert.Equal(8, json.RootElement.GetProperty("runs").GetInt32());
        var first = json.RootElement.GetProperty("cells")[0].GetProperty("algorithms")[0];
        Assert.Equal(2, first.GetProperty("runs").GetInt32());
        Assert.True(first.GetProperty("metrics").GetProperty("mean_time_per_token_s").GetProperty("mean").GetDouble() > 0);

        var unknown = CliHarness.Run("sweep", "report", file, "--store", store, "--metrics", "speed");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no run in the store has this metric", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_beyond_the_count_and_an_empty_store_are_clear_errors()
    {
        var dir = Directory.CreateTempSubdirectory("stamen-sweep-cli-").FullName;
        var file = SweepFiles.Write(dir, SweepFiles.Small(runs: 1));
        var shard = CliHarness.Run("sweep", "run", file, "--store", Path.Combine(dir, "s"), "--shard", "4/4");
        Assert.Equal(2, shard.ExitCode);
        Assert.Contains("shard 4 does not exist: shards are numbered 0 to 3", shard.Error, StringComparison.Ordinal);
        var empty = CliHarness.Run("sweep", "report", file, "--store", Path.Combine(dir, "none"));
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("holds no results of this sweep", empty.Error, StringComparison.Ordinal);
        var k8s = CliHarness.Run("sweep", "submit", file, "--executor", "k8s", "--store", Path.Combine(dir, "s"));
        Assert.Equal(2, k8s.ExitCode);
        Assert.Contains("add --dry-run", k8s.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_writes_a_valid_sbatch_array_script()
    {
        var dir = Directory.CreateTempSubdirectory("stamen-sweep-cli-").FullName;
        var file = SweepFiles.Write(dir, SweepFiles.Small(runs: 1));
        var store = Path.Combine(dir, "store");
        var result = CliHarness.Run("sweep", "submit", file, "--executor", "slurm", "--shards", "3", "--store", store, "--dry-run",
            "--cpus-per-task", "2", "--time", "00:30:00", "--mem", "2G", "--partition", "debug", "--max-running", "2", "--stamen", "/opt/stamen/stamen");
        Assert.Equal(0, result.ExitCode);
        var script = File.ReadAllText(Path.Combine(store, "slurm", "sweep.sbatch"));
        foreach (var line in new[] { "#SBATCH --array=0-2%2", "#SBATCH --cpus-per-task=2", "#SBATCH --time=00:30:00", "#SBATCH --mem=2G", "#SBATCH --partition=debug" })
            Assert.Contains(line + "\n", script, StringComparison.Ordinal);
        Assert.Contains($"exec '/opt/stamen/stamen' sweep run '{file}' --store '{store}' --shard \"${{SLURM_ARRAY_TASK_ID}}/3\" --parallel 2 --quiet", script, StringComparison.Ordinal);
        // bash reads it (syntax only).
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", Path.Combine(store, "slurm", "sweep.sbatch")]) { RedirectStandardError = true })!;
        bash.WaitForExit();
        Assert.Equal(0, bash.ExitCode);

        var bad = CliHarness.Run("sweep", "submit", file, "--executor", "slurm", "--store", store, "--dry-run", "--time", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--time: soon: is not a Slurm time", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_writes_an_indexed_job_manifest_for_kubernetes()
    {
        var dir = Directory.CreateTempSubdirectory("stamen-sweep-cli-").FullName;
        SweepFiles.Write(dir, SweepFiles.Small(runs: 1));
        // Paths in the manifest are relative to the folder the volume holds: run there (a child process; the tests share one working folder).
        var result = Support.StamenProcess.Run(["sweep", "submit", "sweep.yaml", "--executor", "k8s", "--dry-run", "--shards", "5", "--store", "results",
            "--image", "stamen:1", "--mem", "3G", "--cpus-per-task", "2"], TimeSpan.FromMinutes(2), dir);
        Assert.True(result.ExitCode == 0, result.Error);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(dir, "results", "k8s-job.yaml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string At(params string[] path)
        {
            YamlNode node = root;
            foreach (var p in path) node = node is YamlSequenceNode s ? s.Children[int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)] : ((YamlMappingNode)node).Children[new YamlScalarNode(p)];
            return ((YamlScalarNode)node).Value!;
        }
        Assert.Equal("Job", At("kind"));
        Assert.Equal("stamen-sweep-small", At("metadata", "name"));
        Assert.Equal("Indexed", At("spec", "completionMode"));
        Assert.Equal("5", At("spec", "completions"));
        Assert.Equal("stamen:1", At("spec", "template", "spec", "containers", "0", "image"));
        Assert.Equal("3Gi", At("spec", "template", "spec", "containers", "0", "resources", "limits", "memory"));
        Assert.Equal("exec 'stamen' sweep run 'sweep.yaml' --store 'results' --shard \"${JOB_COMPLETION_INDEX}/5\" --parallel 2 --quiet",
            At("spec", "template", "spec", "containers", "0", "command", "2"));
        Assert.Equal("stamen-work", At("spec", "template", "spec", "volumes", "0", "persistentVolumeClaim", "claimName"));
    }
}
