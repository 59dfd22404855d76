using Stamen.Adapters;
using Stamen.Model;

namespace Stamen.Tests.Adapters;

public class LoraMemoryTests
{
    private static readonly ModelSpec Llama = ModelCatalog.BuiltIn.Find("llama-3.1-8b");

    private static double KvBytesPerToken(ModelSpec m) => m.KvBytesPerTokenPerBlock * m.NumBlocks;

    [Fact]
    public void AdapterSlotBytes_LlamaRank8_IsWithinTwiceWhatThePublishedCurveImplies()
    {
        var publishedTokensPerSlot = (305104.0 - 154240.0) / (384 - 8);
        var publishedBytes = publishedTokensPerSlot * KvBytesPerToken(Llama);

        var analytic = LoraMemory.AdapterSlotBytes(Llama, 8);

        Assert.InRange(analytic / publishedBytes, 0.5, 2.0);
    }

    [Fact]
    public void AdapterSlotBytes_IsLinearInRank()
    {
        Assert.Equal(4 * LoraMemory.AdapterSlotBytes(Llama, 8), LoraMemory.AdapterSlotBytes(Llama, 32), 6);
    }

    [Fact]
    public void KvCapacityTokens_TakesWholeTokensPerSlotBytes()
    {
        var perToken = KvBytesPerToken(Llama);
        var lost = (long)Math.Ceiling(8 * LoraMemory.AdapterSlotBytes(Llama, 16) / perToken);

        Assert.Equal(300_000 - lost, LoraMemory.KvCapacityTokens(300_000, Llama, 8, 16, perToken));
    }

    [Fact]
    public void KvCapacityTokens_LessThanOneBlockLeft_NamesMaxLoras()
    {
        var e = Assert.Throws<StamenInputException>(() =>
            LoraMemory.KvCapacityTokens(1000, Llama, 64, 64, KvBytesPerToken(Llama)));

        Assert.Equal("lora.max_loras", e.Field);
    }
}
