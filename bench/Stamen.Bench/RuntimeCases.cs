using System.Globalization;
using Stamen.Runtime.Model;

namespace Stamen.Bench;

/// <summary>
/// CPU transformer block time (Stamen.Runtime) on the small-100m model (width 768, 12 heads, 4 KV
/// heads, MLP 2048: 6.3 M parameters per block): one decode step at context 128 and a 128-token
/// prefill, for the vectorised block on all cores and on one thread, and for the scalar baseline
/// (<see cref="NaiveTransformerBlock"/>: same math, plain loops, one thread). One block is built
/// (seeded weights, block 0); a decode step is re-run at position 128, which the KV cache allows
/// (a retried step overwrites that position), so every repetition sees the same context.
/// </summary>
public sealed class RuntimeCases(int repetitions, TextWriter log)
{
    private const int Context = 128;

    public IEnumerable<BenchRow> Run()
    {
        var config = LlamaConfig.Small100M;
        var weights = SeededWeights.Create(config, seed: 1, new BlockRange(0, 1), clientParts: false);
        var rng = new Random(1);
        var prompt = Enumerable.Range(0, Context * config.HiddenSize).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var token = Enumerable.Range(0, config.HiddenSize).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var macsPerToken = config.ParametersPerBlock - 2L * config.HiddenSize;

        var results = new Dictionary<string, double>();
        var variants = new[] { ("vectorised, all cores", ComputeOptions.Default), ("vectorised, 1 thread", ComputeOptions.SingleThreaded) }
            .Select(v => (Name: v.Item1, Block: new TransformerBlock(config, weights.Block(0), v.Item2), Cache: new KvCacheSet(1, Context + 1, config.KvDim).Layer(0)))
            .ToList();
        // Whichever case ran first measured 2-3x slow with only its own warm-up (the kernels were
        // still being recompiled by tiered PGO on the busy cores): warm every variant up for 2 s first.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 2000)
            foreach (var v in variants)
            {
                v.Block.ForwardInPlace(v.Cache, (float[])prompt.Clone(), 0);
                for (var i = 0; i < 20; i++) v.Block.ForwardInPlace(v.Cache, (float[])token.Clone(), Context);
            }
        foreach (var (name, block, cache) in variants)
        {
            yield return Row($"decode, {name}", "1 token at context 128", Timed(repetitions, () => block.ForwardInPlace(cache, (float[])token.Clone(), Context)), macsPerToken, results);
            yield return Row($"prefill, {name}", "128 tokens", Timed(Math.Max(3, repetitions / 5), () => block.ForwardInPlace(cache, (float[])prompt.Clone(), 0)), Context * macsPerToken, results);
        }

        var naive = new NaiveTransformerBlock(config, weights.Block(0));
        var naiveCache = new KvCacheSet(1, Context + 1, config.KvDim).Layer(0);
        naive.ForwardInPlace(naiveCache, (float[])prompt.Clone(), 0);
        yield return Row("decode, naive scalar", "1 token at context 128", Timed(repetitions, () => naive.ForwardInPlace(naiveCache, (float[])token.Clone(), Context)), macsPerToken, results);
        yield return Row("prefill, naive scalar", "128 tokens", Measure.Run(2, () => naive.ForwardInPlace(naiveCache, (float[])prompt.Clone(), 0)), Context * macsPerToken, results);

        foreach (var kind in new[] { "decode", "prefill" })
            foreach (var name in new[] { "vectorised, all cores", "vectorised, 1 thread" })
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {kind} speed-up of {name} over naive: {results[$"{kind}, naive scalar"] / results[$"{kind}, {name}"]:F1}x"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  all 12 blocks, all cores: decode {12 * results["decode, vectorised, all cores"]:F1} ms/token ({1000 / (12 * results["decode, vectorised, all cores"]):F0} tokens/s without head), prefill 128 tokens {12 * results["prefill, vectorised, all cores"]:F0} ms"));
    }

    /// <summary>
    /// Runs <paramref name="action"/> for 500 ms before timing: a decode step takes about a millisecond,
    /// so Measure's five warm-up runs would time it before tiered compilation (which waits 100 ms)
    /// had optimised the kernels; measured, that tripled the first case's time.
    /// </summary>
    private static Timing Timed(int count, Action action)
    {
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500) action();
        return Measure.Run(count, action);
    }

    private BenchRow Row(string name, string size, Timing t, long macs, Dictionary<string, double> results)
    {
        results[name] = t.MedianMs;
        var gflops = 2.0 * macs / (t.MedianMs * 1e6);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-32} {size,-24} {t.MedianMs,10:F3} ms per block (min {t.MinMs:F3})  {gflops,6:F1} GFLOP/s"));
        return new BenchRow("runtime", name, $"small-100m block, {size}", t.MedianMs, t.MinMs, t.SamplesMs.Count,
            new Dictionary<string, double> { ["ms_per_block"] = t.MedianMs, ["gflops"] = gflops });
    }
}
