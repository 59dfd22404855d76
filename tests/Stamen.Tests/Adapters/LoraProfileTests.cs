using Stamen.Adapters;

namespace Stamen.Tests.Adapters;

public class LoraProfileTests
{
    private static LoraProfile Llama => Profile("llama-3.1-8b");
    private static LoraProfile Qwen => Profile("qwen-2.5-7b");

    private static LoraProfile Profile(string name) =>
        LoraProfileCatalog.BuiltIn.TryFind(name, out var p) ? p : throw new InvalidOperationException(name + " has no profile");

    [Theory]
    [InlineData("llama-3.1-8b", 8, 8, 6.612)]
    [InlineData("llama-3.1-8b", 16, 8, 7.772)]
    [InlineData("llama-3.1-8b", 16, 16, 6.384)]
    [InlineData("llama-3.1-8b", 32, 8, 8.076)]
    [InlineData("llama-3.1-8b", 32, 16, 7.869)]
    [InlineData("llama-3.1-8b", 32, 32, 6.367)]
    [InlineData("qwen-2.5-7b", 8, 8, 3.060)]
    [InlineData("qwen-2.5-7b", 16, 8, 3.399)]
    [InlineData("qwen-2.5-7b", 16, 16, 2.990)]
    [InlineData("qwen-2.5-7b", 32, 8, 3.381)]
    [InlineData("qwen-2.5-7b", 32, 16, 3.507)]
    [InlineData("qwen-2.5-7b", 32, 32, 3.044)]
    public void LoadCostMs_ListedRanks_EqualTheReferenceTable(string model, int maxRank, int adapterRank, double ms)
    {
        Assert.Equal(ms, Profile(model).LoadCostMs(maxRank, adapterRank));
    }

    [Theory]
    [InlineData(12, 12, 6.384)] // max 12 -> row 16, adapter 12 -> rank 16
    [InlineData(12, 4, 7.772)]  // max 12 -> row 16, adapter 4 -> rank 8
    [InlineData(4, 4, 6.612)]   // below every key -> row 8
    [InlineData(32, 20, 6.367)] // adapter 20 -> rank 32
    public void LoadCostMs_UnlistedRanks_RoundUpToTheNextListed(int maxRank, int adapterRank, double ms)
    {
        Assert.Equal(ms, Llama.LoadCostMs(maxRank, adapterRank));
    }

    [Fact]
    public void LoadCostMs_MaxRankBeyondTheTable_NamesMaxLoraRankWithAFix()
    {
        var e = Assert.Throws<StamenInputException>(() => Llama.LoadCostMs(64, 8));

        Assert.Equal("lora.max_lora_rank", e.Field);
        Assert.Contains("32", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCostMs_AdapterLargerThanMaxRank_IsAnInputError()
    {
        Assert.Throws<StamenInputException>(() => Llama.LoadCostMs(8, 16));
    }

    [Theory]
    [InlineData("llama-3.1-8b", 8, 8, 305104)]
    [InlineData("llama-3.1-8b", 8, 32, 295232)]
    [InlineData("llama-3.1-8b", 8, 64, 282640)]
    [InlineData("llama-3.1-8b", 8, 128, 253568)]
    [InlineData("llama-3.1-8b", 8, 256, 205888)]
    [InlineData("llama-3.1-8b", 8, 384, 154240)]
    [InlineData("llama-3.1-8b", 16, 8, 302000)]
    [InlineData("llama-3.1-8b", 16, 64, 256640)]
    [InlineData("llama-3.1-8b", 16, 128, 212032)]
    [InlineData("llama-3.1-8b", 16, 192, 163456)]
    [InlineData("llama-3.1-8b", 32, 8, 296352)]
    [InlineData("llama-3.1-8b", 32, 64, 215104)]
    [InlineData("llama-3.1-8b", 32, 96, 168064)]
    [InlineData("qwen-2.5-7b", 8, 8, 700816)]
    [InlineData("qwen-2.5-7b", 8, 128, 601664)]
    [InlineData("qwen-2.5-7b", 8, 384, 430432)]
    [InlineData("qwen-2.5-7b", 16, 8, 694848)]
    [InlineData("qwen-2.5-7b", 16, 128, 526992)]
    [InlineData("qwen-2.5-7b", 16, 384, 165664)]
    public void KvCapacityTokens_PublishedPoints_EqualTheReference(string model, int maxRank, int slots, long tokens)
    {
        Assert.Equal(tokens, Profile(model).KvCapacityTokens(maxRank, slots));
    }

    [Fact]
    public void KvCapacityTokens_EveryCurve_IsNonIncreasingInSlots()
    {
        foreach (var name in LoraProfileCatalog.BuiltIn.Names)
        {
            var profile = Profile(name);
            foreach (var curve in profile.KvCapacityCurves)
            {
                var end = curve.FailsAtSlots ?? 2 * curve.Points[^1].Slots;
                var previous = long.MaxValue;
                for (var slots = 1; slots < end; slots++)
                {
                    var tokens = profile.KvCapacityTokens(curve.MaxLoraRank, slots)!.Value;
                    Assert.True(tokens <= previous && tokens >= 0, $"{name} rank {curve.MaxLoraRank} at {slots} slots: {tokens} after {previous}");
                    previous = tokens;
                }
            }
        }
    }

    [Fact]
    public void KvCapacityTokens_BetweenTwoPoints_LiesBetweenThem()
    {
        foreach (var name in LoraProfileCatalog.BuiltIn.Names)
        {
            var profile = Profile(name);
            foreach (var curve in profile.KvCapacityCurves)
                foreach (var (a, b) in curve.Points.Zip(curve.Points.Skip(1)))
                    for (var slots = a.Slots; slots <= b.Slots; slots++)
                        Assert.InRange(profile.KvCapacityTokens(curve.MaxLoraRank, slots)!.Value, b.Tokens, a.Tokens);
        }
    }

    [Fact]
    public void KvCapacityTokens_Llama8At100Slots_IsTheStraightLine()
    {
        var tokens = Llama.KvCapacityTokens(8, 100)!.Value;

        Assert.Equal(282640 + (253568 - 282640) * 36 / 64, tokens); // exact here: the division has no remainder
    }

    [Fact]
    public void KvCapacityTokens_OutsideThePoints_ExtendTheEndSegments()
    {
        // First segment of rank 8: -9872 tokens over 24 slots; last of rank 16: -48576 over 64.
        Assert.Equal(305104 + 9872 * 4 / 24, Llama.KvCapacityTokens(8, 4));
        Assert.Equal(163456 - 48576 * 32 / 64, Llama.KvCapacityTokens(16, 224));
    }

    [Theory]
    [InlineData(16, 256)]
    [InlineData(16, 300)]
    [InlineData(32, 128)]
    public void KvCapacityTokens_AtOrPastThePublishedFailure_NamesMaxLorasAndTheLargestWorkingCount(int maxRank, int slots)
    {
        var e = Assert.Throws<StamenInputException>(() => Llama.KvCapacityTokens(maxRank, slots));

        Assert.Equal("lora.max_loras", e.Field);
        Assert.Contains("fails to start", e.Problem, StringComparison.Ordinal);
        Assert.Contains(maxRank == 16 ? "192" : "96", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void KvCapacityTokens_RankWithoutACurve_IsNull()
    {
        Assert.Null(Qwen.KvCapacityTokens(32, 8));
        Assert.Null(Llama.KvCapacityTokens(64, 8));
    }

    [Fact]
    public void StepMultiplier_OneAdapterWithLlama_IsK1PlusK2OverHundred()
    {
        Assert.Equal((1.93011757 + 200.01448221) / 100, Llama.StepMultiplier(1), 12);
    }

    [Theory]
    [InlineData("llama-3.1-8b")]
    [InlineData("LLAMA-3.1-8B")]
    [InlineData("Qwen-2.5-7B")]
    [InlineData(" qwen-2.5-7b ")]
    public void TryFind_BuiltInModels_IgnoresCase(string name)
    {
        Assert.True(LoraProfileCatalog.BuiltIn.TryFind(name, out var profile));
        Assert.Equal(name.Trim(), profile.ModelName, ignoreCase: true);
    }

    [Fact]
    public void BuiltIn_Names_AreTheTwoPublishedModels()
    {
        Assert.Equal(["llama-3.1-8b", "qwen-2.5-7b"], LoraProfileCatalog.BuiltIn.Names);
        Assert.False(LoraProfileCatalog.BuiltIn.TryFind("bloom-176b", out _));
    }

    [Fact]
    public void Parse_PointsGoingUpInTokens_IsRejectedWithTheField()
    {
        var e = Assert.Throws<StamenInputException>(() => LoraProfileCatalog.Parse("""
            profiles:
              - name: m
                load_cost_ms: {8: {8: 1.0}}
                overhead: {k1: 1, k2: 100}
                kv_capacity:
                  8:
                    points: [{slots: 8, tokens: 100}, {slots: 16, tokens: 200}]
            """, "test.yaml"));

        Assert.Equal("profiles[0].kv_capacity.8.points[1].slots", e.Field);
    }
}
