namespace Stamen.Simulation.Metrics;

/// <summary>Names of the twin's per-run metrics, as they appear in tables, JSON and docs.</summary>
public static class SwarmMetricNames
{
    /// <summary>Metric of record: total request time / l_max, averaged over requests.</summary>
    public const string MeanTimePerToken = "mean_time_per_token_s";
    public const string P50TimePerToken = "p50_time_per_token_s";
    public const string P95TimePerToken = "p95_time_per_token_s";
    public const string P99TimePerToken = "p99_time_per_token_s";
    public const string MeanFirstToken = "mean_first_token_s";
    public const string P95FirstToken = "p95_first_token_s";
    public const string MeanPerTokenAfterFirst = "mean_per_token_after_first_s";
    public const string MeanTotal = "mean_total_s";
    public const string MeanWait = "mean_wait_s";
    public const string MeanRetries = "mean_retries";
    public const string Throughput = "throughput_tokens_per_s";
    public const string Succeeded = "succeeded_requests";
    public const string Failed = "failed_requests";
}
