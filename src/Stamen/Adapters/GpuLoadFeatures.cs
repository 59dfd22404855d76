namespace Stamen.Adapters;

/// <summary>
/// What the distilled predictor sees of one GPU's load: the published features (sum and standard
/// deviation of adapter rates, max, mean and standard deviation of ranks, adapter slots, served
/// adapters) plus the mean prompt and output lengths, so one model covers workloads of different
/// lengths (the published model was trained on ShareGPT lengths only), and the offered token rate
/// (sum of rates x (prompt + output)): throughput is about min(offered, capacity), and a tree cannot
/// form that product from its factors with axis-aligned splits.
/// </summary>
public sealed record GpuLoadFeatures(
    double SumRatesPerSec,
    double StdRatesPerSec,
    double MaxRank,
    double MeanRank,
    double StdRank,
    double Slots,
    double ServedAdapters,
    double MeanPromptTokens,
    double MeanOutputTokens)
{
    /// <summary>Tokens per second the adapters offer: requests/s x (mean prompt + mean output).</summary>
    public double OfferedTokensPerSec => SumRatesPerSec * (MeanPromptTokens + MeanOutputTokens);

    /// <summary>Column names, in <see cref="ToArray"/> order (the dataset CSV's first columns).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "sum_rates_per_s", "std_rates_per_s", "max_rank", "mean_rank", "std_rank", "slots", "served_adapters",
        "mean_prompt_tokens", "mean_output_tokens", "offered_tokens_per_s",
    ];

    public double[] ToArray() =>
        [SumRatesPerSec, StdRatesPerSec, MaxRank, MeanRank, StdRank, Slots, ServedAdapters, MeanPromptTokens, MeanOutputTokens, OfferedTokensPerSec];

    /// <summary>Features of <paramref name="adapters"/> served with <paramref name="slots"/> slots (population standard deviations).</summary>
    public static GpuLoadFeatures Of(IReadOnlyList<AdapterDemand> adapters, int slots, double meanPromptTokens, double meanOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        if (adapters.Count == 0) throw new ArgumentException("A GPU load needs at least one adapter.", nameof(adapters));
        var rates = adapters.Select(a => a.RatePerSec).ToArray();
        var ranks = adapters.Select(a => (double)a.Rank).ToArray();
        return new GpuLoadFeatures(rates.Sum(), Std(rates), ranks.Max(), ranks.Average(), Std(ranks), slots, adapters.Count,
            meanPromptTokens, meanOutputTokens);
    }

    private static double Std(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
