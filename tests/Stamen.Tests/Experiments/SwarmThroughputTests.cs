using System.Text.Json;
using Stamen.Experiments;
using Stamen.Hardware;
using Stamen.Scenarios;
using Stamen.Swarm;
using Stamen.Tests.Cli;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Experiments;

/// <summary>Swarm scenarios served by batching servers: the roofline profile as stated, and `stamen throughput` end to end.</summary>
public sealed class SwarmThroughputTests
{
    [Fact]
    public void Profile_DecodeIsMemoryBoundThenComputeBound_KvIsMemoryLeftOverPerTokenAndBlock()
    {
        var server = new ServerSpec("s", "gpu", -1, MemoryBytes: 80e9, new BlockTimes(DecodeMsPerBlock: 3.0, PrefillMsPerToken: 0.05, PrefillFixedMs: 2), MaxBlocks: 40);
        var profile = SwarmThroughput.Profile(server, blockBytes: 1.5e9, kvBytesPerTokenPerBlock: 4e5, modelBlocks: 70);
        Assert.Equal(3.0, profile.DecodeMs.MsPerLayer(1), 9); // one token: the weights' read
        Assert.Equal(3.0, profile.DecodeMs.MsPerLayer(32), 9); // 32 x 0.05 = 1.6 ms of compute still hides under it
        Assert.Equal(128 * 0.05, profile.DecodeMs.MsPerLayer(128), 9); // past 60 tokens, compute-bound
        Assert.Equal(512 * 0.05 + 2, profile.PromptMs.MsPerLayer(512), 9);
        Assert.Equal(40, profile.MaxLayers);
        Assert.Equal(Math.Floor((80e9 - 10 * 1.5e9) / 4e5), profile.KvTokenLayers[10]);
        Assert.Equal(SwarmThroughput.DecodeMaxRequests, profile.DecodeMaxTokens[10]);
    }

    [Fact]
    public void DefaultScenario_EveryAlgorithm_ServedAndDeterministic()
    {
        var resolver = ScenarioResolver.Create(BuiltinScenarios.Load(null));
        var settings = new SwarmThroughputSettings(Users: 16, WarmupS: 5, DurationS: 60);
        var a = SwarmThroughput.Run(resolver, resolver.Algorithms, 0, 7, settings);
        Assert.Equal(resolver.Algorithms.Select(x => x.Name), a.Select(r => r.Algorithm));
        Assert.All(a, r => Assert.True(r.DecodeTokensPerSec > 0 && r.StaticMaxFlowTokensPerSec > 0, r.Algorithm));
        Assert.Equal(a, SwarmThroughput.Run(resolver, resolver.Algorithms, 0, 7, settings));
    }

    [Fact]
    public void Command_WritesTheRows_AndRejectsZeroUsers()
    {
        using var folder = new TempFolder();
        var json = folder.FilePath("t.json");
        var result = CliHarness.Run("throughput", "default", "-a", "petals", "--users", "8", "--duration-s", "30", "--warmup-s", "0", "--json", json, "-q");
        Assert.True(result.ExitCode == 0, result.Error);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
            Assert.Equal("petals", Assert.Single(doc.RootElement.GetProperty("rows").EnumerateArray()).GetProperty("algorithm").GetString());
        var bad = CliHarness.Run("throughput", "default", "--users", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--users", bad.Error, StringComparison.Ordinal);
    }
}
