using Stamen.Simulation;

namespace Stamen.Runtime.Model;

/// <summary>
/// Random but reproducible weights for a model shape: what tests and measurements run when no
/// checkpoint is at hand. Each tensor draws from its own stream,
/// <see cref="SeedStreams.Derive"/>(seed, tensor index), so a server that builds only blocks 8..12
/// gets exactly the values a process building all 12 blocks gets, without drawing the others.
/// </summary>
/// <remarks>
/// Values are uniform with the standard deviation of a variance-preserving init: 1/sqrt(fan-in) for
/// projections (activations keep their scale through the blocks, so outputs depend on every weight),
/// 1 for the embedding, and 1 +- 0.1 for norm weights (not exactly 1, so a test notices a norm weight
/// applied to the wrong tensor). The generator is SplitMix64, written here rather than
/// <see cref="Random"/> so the values can never change with a .NET release.
/// </remarks>
public static class SeededWeights
{
    /// <summary>Stream of the token embedding.</summary>
    public const int EmbeddingStream = 0;

    /// <summary>Stream of the final norm.</summary>
    public const int FinalNormStream = 1;

    /// <summary>Stream of the output head (unused when tied).</summary>
    public const int LmHeadStream = 2;

    /// <summary>Stream of tensor <paramref name="tensor"/> (in <see cref="BlockWeights.Layout"/> order) of block <paramref name="block"/>.</summary>
    public static int BlockStream(int block, int tensor) => 16 + 16 * block + tensor;

    /// <summary>
    /// Weights of <paramref name="config"/> from <paramref name="seed"/>: the blocks of <paramref name="blocks"/>
    /// (all when null) and, when <paramref name="clientParts"/>, the embedding, final norm and head.
    /// </summary>
    public static LlamaWeights Create(LlamaConfig config, int seed, BlockRange? blocks = null, bool clientParts = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var range = blocks ?? BlockRange.All(config.Blocks);
        if (range.Start < 0 || range.End > config.Blocks || range.Start > range.End)
            throw new ArgumentOutOfRangeException(nameof(blocks), $"block range {range} must lie within [0, {config.Blocks}]");

        var layout = BlockWeights.Layout(config);
        var list = new List<BlockWeights>(range.Count);
        for (var b = range.Start; b < range.End; b++)
        {
            var tensors = new float[layout.Count][];
            // Blocks' tensors are independent streams: fill them in parallel (order of filling cannot matter).
            Parallel.For(0, layout.Count, t =>
            {
                var shape = layout[t].Shape;
                tensors[t] = shape.Length == 1
                    ? Uniform(shape[0], seed, BlockStream(b, t), centre: 1, standardDeviation: 0.1 / Math.Sqrt(3))
                    : Uniform(shape[0] * shape[1], seed, BlockStream(b, t), centre: 0, standardDeviation: 1 / Math.Sqrt(shape[1]));
            });
            list.Add(BlockWeights.FromTensors(tensors));
        }

        float[]? embedding = null, finalNorm = null, lmHead = null;
        if (clientParts)
        {
            var vocabByHidden = config.VocabSize * config.HiddenSize;
            embedding = Uniform(vocabByHidden, seed, EmbeddingStream, centre: 0, standardDeviation: 1);
            finalNorm = Uniform(config.HiddenSize, seed, FinalNormStream, centre: 1, standardDeviation: 0.1 / Math.Sqrt(3));
            lmHead = config.TieEmbeddings
                ? embedding
                : Uniform(vocabByHidden, seed, LmHeadStream, centre: 0, standardDeviation: 1 / Math.Sqrt(config.HiddenSize));
        }
        return new LlamaWeights(config, range, list, embedding, finalNorm, lmHead);
    }

    /// <summary><paramref name="count"/> values uniform on centre +- sqrt(3) x sd, from stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    internal static float[] Uniform(int count, int seed, int stream, double centre, double standardDeviation)
    {
        var state = (ulong)SeedStreams.Derive(seed, stream);
        var halfWidth = Math.Sqrt(3) * standardDeviation;
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            // SplitMix64 (Steele, Lea and Flood 2014): one 64-bit state, full period, good equidistribution.
            state = unchecked(state + 0x9E3779B97F4A7C15UL);
            var z = state;
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            var unit = (z >> 11) * (1.0 / (1UL << 53)); // [0, 1) with 53 random bits
            values[i] = (float)(centre + (2 * unit - 1) * halfWidth);
        }
        return values;
    }
}
