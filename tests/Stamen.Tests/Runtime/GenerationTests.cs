using Stamen.Runtime.Model;

namespace Stamen.Tests.Runtime;

public class GenerationTests
{
    [Fact]
    public void Generate_SameSeed_SameTokens()
    {
        var first = new LocalModel(TinyModel.Weights).Generate(TinyModel.Prompt, 12);
        var again = new LocalModel(TinyModel.Weights).Generate(TinyModel.Prompt, 12);
        var rebuilt = new LocalModel(SeededWeights.Create(LlamaConfig.Tiny, seed: 7)).Generate(TinyModel.Prompt, 12);

        Assert.Equal(12, first.Count);
        Assert.Equal(first, again);
        Assert.Equal(first, rebuilt);
        Assert.All(first, t => Assert.InRange(t, 0, LlamaConfig.Tiny.VocabSize - 1));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentWeightsAndTokens()
    {
        var other = SeededWeights.Create(LlamaConfig.Tiny, seed: 8);

        Assert.NotEqual(TinyModel.Weights.Block(0).Query, other.Block(0).Query);
        Assert.NotEqual(TinyModel.Weights.Embedding, other.Embedding);
        Assert.NotEqual(new LocalModel(TinyModel.Weights).Generate(TinyModel.Prompt, 12), new LocalModel(other).Generate(TinyModel.Prompt, 12));
    }

    [Fact]
    public void Generate_ProducesVariedTokens_NotOneRepeated()
    {
        // A sanity check that the seeded init keeps activations alive through the blocks.
        var tokens = new LocalModel(TinyModel.Weights).Generate(TinyModel.Prompt, 16);

        Assert.True(tokens.Distinct().Count() > 2, $"tokens: {string.Join(' ', tokens)}");
    }

    [Fact]
    public void SeededWeights_ABlockRange_EqualsThoseBlocksOfTheWholeModel()
    {
        var part = SeededWeights.Create(LlamaConfig.Tiny, seed: 7, new BlockRange(2, 4), clientParts: false);

        Assert.Null(part.Embedding);
        for (var b = 2; b < 4; b++)
            Assert.Equal(TinyModel.Weights.Block(b).Tensors(), part.Block(b).Tensors());
        Assert.Throws<ArgumentOutOfRangeException>(() => part.Block(1));
    }

    [Fact]
    public void Config_Presets_HaveTheAdvertisedSizes()
    {
        Assert.Same(LlamaConfig.Tiny, LlamaConfig.Preset("tiny"));
        Assert.InRange(LlamaConfig.Small100M.Parameters, 95_000_000, 115_000_000);
        Assert.Empty(LlamaConfig.Small100M.Problems());
        Assert.Throws<StamenInputException>(() => LlamaConfig.Preset("huge"));
    }

    [Fact]
    public void Config_Invalid_ListsEveryProblem()
    {
        var bad = LlamaConfig.Tiny with { Heads = 5, KvHeads = 3, RmsEps = 0, Blocks = 0 };

        var problems = bad.Problems();

        Assert.Equal(4, problems.Count);
        var e = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Contains("HiddenSize 128 is not a multiple of Heads 5", e.Message, StringComparison.Ordinal);
        Assert.Contains("RmsEps", e.Message, StringComparison.Ordinal);
    }
}
