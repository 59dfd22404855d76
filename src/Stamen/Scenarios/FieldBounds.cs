namespace Stamen.Scenarios;

/// <summary>
/// The largest value each numeric scenario field takes, so that no number in a file can ask for unbounded memory or time
/// (`runs: 2147483647`, `rate_per_s: 1e12`) or overflow arithmetic (`prompt_tokens: 2147483647`). The bounds are far above
/// any published setting; fields not listed take a general bound. A value above its bound is an input error naming the field.
/// </summary>
internal static class FieldBounds
{
    /// <summary>Whole-number fields not listed: ten million.</summary>
    public const int DefaultMaxInt = 10_000_000;

    /// <summary>Real-valued fields not listed: a billion (milliseconds, seconds, weights).</summary>
    public const double DefaultMaxDouble = 1e9;

    private const int Tokens = 1 << 20; // a million-token context

    private static readonly Dictionary<string, int> Ints = new(StringComparer.Ordinal)
    {
        ["seed"] = int.MaxValue,
        ["runs"] = 10_000,
        ["requests"] = Stamen.Workload.RequestBudget.MaxRequests,
        ["limit"] = Stamen.Workload.RequestBudget.MaxRequests,
        ["count"] = 100_000,
        ["nodes"] = 5_000, // a network is a node x node matrix: 5,000 nodes are 200 MB of round trips
        ["instances"] = 10_000,
        ["server_gpus"] = 1_024,
        ["prompt_tokens"] = Tokens,
        ["output_tokens"] = Tokens,
        ["sequence_tokens"] = Tokens,
        ["max_context"] = Tokens,
        ["token_budget"] = Tokens,
        ["rank"] = 1_024,
        ["max_lora_rank"] = 1_024,
        ["max_loras"] = 100_000,
        ["max_cpu_loras"] = 100_000,
        ["max_batch"] = 100_000,
        ["block_size"] = 65_536,
        ["capacity_tokens"] = 100_000_000,
    };

    private static readonly Dictionary<string, double> Doubles = new(StringComparer.Ordinal)
    {
        ["rate_per_s"] = 1e6,
        ["total_per_s"] = 1e6,
        ["planning_rate_per_s"] = 1e6,
        ["duration_s"] = 1e7,
        ["time_scale"] = 1e6,
        ["memory_gb"] = 1e5,
        ["swap_space_gb"] = 1e5,
        ["memory_utilisation"] = 1,
        ["fraction_of_nodes"] = 1,
        ["uplink_mbps"] = 1e7,
        ["downlink_mbps"] = 1e7,
        ["intra_bandwidth_mbps"] = 1e7,
        ["inter_bandwidth_mbps"] = 1e7,
        ["link_gb_per_s"] = 1e5,
        ["pcie_gb_per_s"] = 1e5,
        ["fibre_route_factor"] = 100,
        ["exponent"] = 100,
        ["client_weight_bits"] = 64,
    };

    /// <summary>
    /// Smallest values of rates and bandwidths, which are divided by: a denormal like 1e-320 makes a time infinite. One kilobit
    /// per second, one request per thousand years.
    /// </summary>
    private static readonly Dictionary<string, double> MinDoubles = new(StringComparer.Ordinal)
    {
        ["uplink_mbps"] = 1e-3,
        ["downlink_mbps"] = 1e-3,
        ["intra_bandwidth_mbps"] = 1e-3,
        ["inter_bandwidth_mbps"] = 1e-3,
        ["link_gb_per_s"] = 1e-6,
        ["pcie_gb_per_s"] = 1e-6,
        ["total_per_s"] = 1e-10,
        ["planning_rate_per_s"] = 1e-10,
        ["time_scale"] = 1e-9,
        ["network_rps"] = 1e-10,
        ["forward_rps"] = 1e-10,
        ["memory_gb"] = 1e-6,
        ["decode_ms_per_block"] = 1e-9,
        ["latency_step_ms"] = 1e-6,
        ["sla_ms"] = 1e-6,
        ["duration_s"] = 1e-6,
    };

    /// <summary>The smallest value of <paramref name="field"/> beyond the caller's own minimum (none for fields not listed).</summary>
    public static double MinDouble(string field) => MinDoubles.GetValueOrDefault(field, double.NegativeInfinity);

    /// <summary>
    /// Refuses a run whose arrivals (<paramref name="expected"/> requests, e.g. rates x duration) exceed the
    /// <see cref="Stamen.Workload.RequestBudget"/> before it starts: the error names the field that sets the length.
    /// </summary>
    public static void CheckRequests(YamlFields y, string key, double expected, string what)
    {
        if (Stamen.Workload.RequestBudget.Problem(expected, what) is { } problem) throw y.Error(key, problem, $"shorten {key} or lower the rates");
    }

    public static int MaxInt(string field) => Ints.GetValueOrDefault(field, DefaultMaxInt);

    public static double MaxDouble(string field) => Doubles.GetValueOrDefault(field, DefaultMaxDouble);
}
