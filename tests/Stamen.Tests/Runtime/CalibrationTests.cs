using System.Text.Json;
using Stamen.Runtime.Calibration;
using Stamen.Runtime.Model;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Runtime;

[Collection("Swarm")]
public sealed class CalibrationTests
{
    [Fact]
    public void Predict_IsThePetalsFormulaWithTheProfilesConstants()
    {
        var profile = new RuntimeProfile("tiny", DecodeMsPerBlock: 0.5, PrefillMsPerToken: 0.1, PrefillFixedMs: 2, ClientMsPerToken: 1, HopOverheadMs: 0.3, 4, 128);
        BlockRange[] layout = [new(0, 1), new(1, 4)];

        var t = SwarmValidation.Predict("tiny", LlamaConfig.Tiny, layout, [10, 20], profile, promptTokens: 16, newTokens: 8);

        // Per token: per hop RTT + overhead + blocks x decode. First token: per hop two RTTs (open, prefill) + overhead + blocks x (0.1 x 16 + 2).
        Assert.Equal(10 + 0.3 + 0.5 + 20 + 0.3 + 3 * 0.5, t.PerTokenMs, 9);
        Assert.Equal(20 + 0.3 + 3.6 + 40 + 0.3 + 3 * 3.6, t.FirstTokenMs, 9);
    }

    [Fact]
    public void ValidateCommand_TinyModelTwoPlacements_TokensEqualAndJsonHasBothSides()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("v.json");

        var result = CliHarness.Run("validate", "--model", "tiny", "--layout", "0:4", "--layout", "0:1,1:4", "--rtt-ms", "5", "--rtt-ms", "5,10",
            "--prompt-tokens", "8", "--new-tokens", "4", "--requests", "1", "--json", json);

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.True(r.GetProperty("tokens_equal_local").GetBoolean());
            Assert.True(r.GetProperty("measured_per_token_ms").GetDouble() > 0);
            Assert.True(r.GetProperty("predicted_per_token_ms").GetDouble() > 0);
        });
    }

    [Theory]
    [InlineData("--layout", "0:2,3:4", "do not chain")]
    [InlineData("--model", "gpt-9", "not a runtime preset")]
    public void ValidateCommand_Mistakes_ExitWithAUserError(string option, string value, string problem)
    {
        var result = CliHarness.Run("validate", option, value, "--requests", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }
}

/// <summary>The model catalog's runtime presets describe the same models the runtime computes.</summary>
public sealed class RuntimeCatalogTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("small-100m")]
    public void CatalogModel_MatchesTheRuntimePreset(string name)
    {
        var config = LlamaConfig.Preset(name);
        var catalog = Stamen.Model.ModelCatalog.BuiltIn.Find(name);
        var runtime = RuntimeProfiler.ModelSpecOf(name, config);

        Assert.Equal(runtime.ParamsPerBlock, catalog.ParamsPerBlock);
        Assert.Equal(runtime.KvBytesPerTokenPerBlock, catalog.KvBytesPerTokenPerBlock);
        Assert.Equal(runtime.BlockBytes, catalog.BlockBytes);
        Assert.Equal(config.Blocks, catalog.NumBlocks);
    }
}

/// <summary>`stamen serve --blocks plan` reads its range from a plan file, and says clearly what is wrong with a bad one.</summary>
[Collection("Console")]
public sealed class ServePlanTests
{
    [Theory]
    [InlineData("nobody", "no server 'nobody' in the plan")]
    [InlineData("idle", "holds no blocks")]
    [InlineData("wide", "past the model's 4 blocks")]
    public void ServeFromPlan_BadServer_UserErrorNamingIt(string server, string problem)
    {
        using var folder = new TempFolder();
        var plan = folder.FilePath("plan.json");
        File.WriteAllText(plan, """{"servers": [{"server": "a", "start_block": 0, "end_block": 3}, {"server": "idle", "start_block": 0, "end_block": 0}, {"server": "wide", "start_block": 0, "end_block": 9}]}""");

        var result = CliHarness.Run("serve", "--model", "tiny", "--blocks", "plan", "--plan", plan, "--plan-server", server);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }
}
