using Stamen.Runtime.Model;

namespace Stamen.Tests.Runtime;

/// <summary>Seeded tiny-model weights shared by the runtime tests (building them takes a few ms; sharing keeps tests fast).</summary>
internal static class TinyModel
{
    public static LlamaConfig Config => LlamaConfig.Tiny;

    public static LlamaWeights Weights { get; } = SeededWeights.Create(LlamaConfig.Tiny, seed: 7);

    public static int[] Prompt { get; } = [1, 17, 300, 42, 5, 99, 256, 3, 511, 0];

    /// <summary>Hidden states of <paramref name="tokens"/> with the seeded embedding.</summary>
    public static float[] Embed(params int[] tokens) => new Embedding(Weights).Lookup(tokens);

    public static void AssertBitwiseEqual(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"value {i} differs: {expected[i]:R} vs {actual[i]:R}");
    }

    public static float[] Rows(float[] hidden, int first, int count, int width) => hidden.AsSpan(first * width, count * width).ToArray();
}
