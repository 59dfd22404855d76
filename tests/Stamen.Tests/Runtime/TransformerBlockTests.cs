using Stamen.Runtime.Model;

namespace Stamen.Tests.Runtime;

public class TransformerBlockTests
{
    private static readonly int Hidden = TinyModel.Config.HiddenSize;

    [Fact]
    public void Decode_WithKvCache_GivesTheLogitsOfRecomputingTheWholeSequence_BitForBit()
    {
        var stack = new BlockStack(TinyModel.Weights);
        var head = new LmHead(TinyModel.Weights);
        var tokens = TinyModel.Prompt;
        const int PrefillTokens = 4;

        var cache = stack.CreateCache(tokens.Length);
        var cached = stack.Forward(cache, TinyModel.Embed(tokens[..PrefillTokens]), 0);
        for (var n = PrefillTokens; n <= tokens.Length; n++)
        {
            if (n > PrefillTokens) cached = stack.Forward(cache, TinyModel.Embed(tokens[n - 1]), n - 1);

            var full = stack.Forward(stack.CreateCache(n), TinyModel.Embed(tokens[..n]), 0);

            TinyModel.AssertBitwiseEqual(TinyModel.Rows(full, n - 1, 1, Hidden), TinyModel.Rows(cached, cached.Length / Hidden - 1, 1, Hidden));
            TinyModel.AssertBitwiseEqual(head.Logits(full, n - 1), head.Logits(cached, cached.Length / Hidden - 1));
        }
    }

    [Fact]
    public void Prefill_RowsEqualTokenByTokenDecode_BitForBit()
    {
        var stack = new BlockStack(TinyModel.Weights);
        var tokens = TinyModel.Prompt;

        var prefill = stack.Forward(stack.CreateCache(tokens.Length), TinyModel.Embed(tokens), 0);
        var cache = stack.CreateCache(tokens.Length);
        for (var t = 0; t < tokens.Length; t++)
            TinyModel.AssertBitwiseEqual(TinyModel.Rows(prefill, t, 1, Hidden), stack.Forward(cache, TinyModel.Embed(tokens[t]), t));
    }

    [Fact]
    public void TwoStacks_SplitAtEveryBlock_EqualOneStack_BitForBit()
    {
        var config = TinyModel.Config;
        var whole = new BlockStack(TinyModel.Weights);
        var wholeCache = whole.CreateCache(16);
        var prompt = TinyModel.Embed(TinyModel.Prompt[..6]);
        var expected = new List<float[]> { whole.Forward(wholeCache, prompt, 0) };
        for (var step = 0; step < 3; step++) expected.Add(whole.Forward(wholeCache, TinyModel.Embed(40 + step), 6 + step));

        for (var k = 1; k < config.Blocks; k++)
        {
            // Separate weight arrays, as two server processes would build them.
            var first = new BlockStack(SeededWeights.Create(config, seed: 7, new BlockRange(0, k), clientParts: false));
            var second = new BlockStack(SeededWeights.Create(config, seed: 7, new BlockRange(k, config.Blocks), clientParts: false));
            KvCacheSet c1 = first.CreateCache(16), c2 = second.CreateCache(16);

            TinyModel.AssertBitwiseEqual(expected[0], second.Forward(c2, first.Forward(c1, prompt, 0), 0));
            for (var step = 0; step < 3; step++)
            {
                var hidden = TinyModel.Embed(40 + step);
                TinyModel.AssertBitwiseEqual(expected[step + 1], second.Forward(c2, first.Forward(c1, hidden, 6 + step), 6 + step));
            }
        }
    }

    [Fact]
    public void Forward_ThreadCount_DoesNotChangeBits()
    {
        // A threshold of 1 multiply-add sends every product and attention step to the parallel path.
        var tokens = Enumerable.Range(0, 64).Select(i => i * 7 % 512).ToArray();
        var hidden = TinyModel.Embed(tokens);
        float[] Run(ComputeOptions options)
        {
            var stack = new BlockStack(TinyModel.Weights, options);
            var cache = stack.CreateCache(65);
            var prefill = stack.Forward(cache, hidden, 0);
            return [.. prefill, .. stack.Forward(cache, TinyModel.Embed(9), 64)];
        }

        var single = Run(ComputeOptions.SingleThreaded);

        TinyModel.AssertBitwiseEqual(single, Run(ComputeOptions.Default));
        TinyModel.AssertBitwiseEqual(single, Run(new ComputeOptions(ParallelThresholdMacs: 1)));
        TinyModel.AssertBitwiseEqual(single, Run(new ComputeOptions(3, ParallelThresholdMacs: 1)));
    }

    [Fact]
    public void NaiveBaseline_MatchesVectorisedBlock_WithinRelativeTolerance()
    {
        var config = TinyModel.Config;
        var tokens = TinyModel.Prompt;
        for (var b = 0; b < config.Blocks; b++)
        {
            var weights = TinyModel.Weights.Block(b);
            var fast = new TransformerBlock(config, weights);
            var naive = new NaiveTransformerBlock(config, weights);
            var fastCache = new KvCacheSet(1, 16, config.KvDim).Layer(0);
            var naiveCache = new KvCacheSet(1, 16, config.KvDim).Layer(0);

            var x = TinyModel.Embed(tokens);
            var y = (float[])x.Clone();
            fast.ForwardInPlace(fastCache, x, 0);
            naive.ForwardInPlace(naiveCache, y, 0);
            AssertRelativelyClose(y, x);

            var dx = TinyModel.Embed(77);
            var dy = (float[])dx.Clone();
            fast.ForwardInPlace(fastCache, dx, tokens.Length);
            naive.ForwardInPlace(naiveCache, dy, tokens.Length);
            AssertRelativelyClose(dy, dx);
        }
    }

    [Fact]
    public void CausalMask_ChangingALaterToken_LeavesEarlierOutputsUnchanged()
    {
        var stack = new BlockStack(TinyModel.Weights);
        var tokens = TinyModel.Prompt;
        var changed = (int[])tokens.Clone();
        changed[^1] = (changed[^1] + 1) % TinyModel.Config.VocabSize;
        changed[^2] = (changed[^2] + 5) % TinyModel.Config.VocabSize;

        var a = stack.Forward(stack.CreateCache(tokens.Length), TinyModel.Embed(tokens), 0);
        var b = stack.Forward(stack.CreateCache(tokens.Length), TinyModel.Embed(changed), 0);

        var kept = tokens.Length - 2;
        TinyModel.AssertBitwiseEqual(TinyModel.Rows(a, 0, kept, Hidden), TinyModel.Rows(b, 0, kept, Hidden));
        Assert.NotEqual(TinyModel.Rows(a, kept, 1, Hidden), TinyModel.Rows(b, kept, 1, Hidden));
    }

    [Fact]
    public void Forward_StartBeyondTheCache_IsRefused()
    {
        var stack = new BlockStack(TinyModel.Weights);
        var cache = stack.CreateCache(8);

        Assert.Throws<ArgumentOutOfRangeException>(() => stack.Forward(cache, TinyModel.Embed(1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stack.Forward(cache, TinyModel.Embed(new int[9]), 0));
        Assert.Throws<ArgumentException>(() => stack.Forward(cache, new float[Hidden + 1], 0));
    }

    [Fact]
    public void Forward_RetriedStep_OverwritesAndGivesTheSameBits()
    {
        var stack = new BlockStack(TinyModel.Weights);
        var cache = stack.CreateCache(8);
        stack.Forward(cache, TinyModel.Embed(1, 2, 3), 0);
        var first = stack.Forward(cache, TinyModel.Embed(4), 3);

        var retried = stack.Forward(cache, TinyModel.Embed(4), 3);

        TinyModel.AssertBitwiseEqual(first, retried);
        Assert.Equal(4, cache.Length);
    }

    private static void AssertRelativelyClose(float[] expected, float[] actual)
    {
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale,
                $"value {i}: naive {expected[i]} vs vectorised {actual[i]} (scale {scale})");
    }
}
