using System.Globalization;
using Stamen.Workload;

namespace Stamen.Simulation.Cluster;

/// <summary>How the coordinator feeds requests into the cluster.</summary>
public enum FeedMode
{
    /// <summary>Closed loop: <see cref="ClusterWorkload.Users"/> users, each sending its next request when its last one ends.</summary>
    ClosedLoop,

    /// <summary>
    /// Offline, as Helix feeds its max-flow runs: <see cref="ClusterWorkload.Users"/> requests at the start, then one
    /// more whenever a prompt or a request finishes while the fullest server's expected KV use is at most
    /// <see cref="ClusterWorkload.FeedHighWaterMark"/>.
    /// </summary>
    KvWatermark,

    /// <summary>Open loop: Poisson arrivals at <see cref="ClusterWorkload.RatePerSec"/>.</summary>
    Poisson,
}

/// <summary>
/// The requests a cluster run serves: how they arrive (<see cref="Mode"/>) and their lengths, drawn uniformly
/// (with the run's seed) from <see cref="Lengths"/>, pairs of prompt and output tokens (a trace's rows).
/// </summary>
public sealed record ClusterWorkload(FeedMode Mode, IReadOnlyList<RequestShape> Lengths)
{
    /// <summary>Users in a closed loop, or the requests sent at the start in <see cref="FeedMode.KvWatermark"/>.</summary>
    public int Users { get; init; } = 20;

    /// <summary>Fullest expected KV use at which <see cref="FeedMode.KvWatermark"/> still sends more (Helix: 0.8).</summary>
    public double FeedHighWaterMark { get; init; } = 0.8;

    /// <summary>Arrivals per second in <see cref="FeedMode.Poisson"/>.</summary>
    public double RatePerSec { get; init; } = 1;

    /// <summary>Gap between the coordinator deciding to send a request and sending it (Helix: 100 ms; also the start-up spacing).</summary>
    public double LaunchGapMs { get; init; } = 100;

    /// <summary>Output tokens the coordinator expects a request to generate when it reserves KV (Helix: 240, the trace's mean).</summary>
    public int ExpectedOutputTokens { get; init; } = 240;

    /// <summary>Most users or requests a run may keep in flight.</summary>
    public const int MaxUsers = 1_000_000;

    /// <summary>Most requests a Poisson run may generate (rate x seconds).</summary>
    public const double MaxPoissonRequests = 1_000_000;

    /// <summary>An input error naming <paramref name="field"/> unless <paramref name="users"/> is in 1..<see cref="MaxUsers"/>.</summary>
    /// <summary>The feed a file or option names: watermark, closed or poisson; null for any other name.</summary>
    public static FeedMode? FeedNamed(string name) => name switch
    {
        "watermark" => FeedMode.KvWatermark,
        "closed" => FeedMode.ClosedLoop,
        "poisson" => FeedMode.Poisson,
        _ => null,
    };

    public static void RequireUsers(int users, string file, string field)
    {
        if (users is < 1 or > MaxUsers)
            throw new StamenInputException(file, field, string.Create(CultureInfo.InvariantCulture, $"{users} is not in 1..{MaxUsers:N0}"), "give e.g. 20");
    }

    /// <summary>An input error naming <paramref name="field"/> unless the rate is positive and at most <see cref="MaxPoissonRequests"/> arrive in <paramref name="seconds"/>.</summary>
    public static void RequireRate(double ratePerSec, double seconds, string file, string field)
    {
        if (!(ratePerSec > 0 && ratePerSec * seconds <= MaxPoissonRequests))
            throw new StamenInputException(file, field, string.Create(CultureInfo.InvariantCulture,
                $"{ratePerSec} must be positive, with at most {MaxPoissonRequests:N0} requests over the run"), "lower the rate or the duration");
    }
}

/// <summary>What a cluster run measures, and for how long.</summary>
/// <param name="WarmupS">Simulated seconds before measuring (Helix: 60).</param>
/// <param name="DurationS">Measured seconds (Helix: 600).</param>
/// <param name="Seed">Seed of the request lengths, arrivals and scheduler choices.</param>
public sealed record ClusterRunOptions(double WarmupS = 60, double DurationS = 600, int Seed = 1)
{
    /// <summary>
    /// Helix's simulator doubles the decode time of a batch with exactly one decode token (published
    /// behaviour, kept so that its runs reproduce; off is our choice of a smooth profile).
    /// </summary>
    public bool DoubleSingleDecode { get; init; } = true;

    /// <summary>
    /// Helix's simulator adds bytes/4e9 + bytes/5e9 seconds of input handling to the first layer of a batch
    /// (bytes: the batch's activations). Published behaviour.
    /// </summary>
    public bool InputCopyOverhead { get; init; } = true;

    /// <summary>
    /// Run a server's batches one layer at a time, as Helix's compute node does: a queue in front of each layer, each
    /// step one layer of a batch from the next non-empty queue after the last layer run, so arrivals join at layer
    /// boundaries (published). Off: a batch runs all the server's layers before the next forms (our simpler model).
    /// </summary>
    public bool LayerByLayer { get; init; }

    /// <summary>Longest run simulated (a day): a bound on any input's work.</summary>
    public const double MaxSimulatedS = 86_400;

    /// <summary>An input error naming <paramref name="field"/> unless warm-up >= 0, duration > 0 and together at most <see cref="MaxSimulatedS"/>.</summary>
    public static void RequireWindow(double warmupS, double durationS, string file, string field)
    {
        if (!(warmupS >= 0) || !(durationS > 0) || warmupS + durationS > MaxSimulatedS)
            throw new StamenInputException(file, field, string.Create(CultureInfo.InvariantCulture,
                $"{warmupS} s of warm-up and {durationS} s measured: need warm-up >= 0, duration > 0, together at most {MaxSimulatedS:N0} s"), "give e.g. 60 and 600");
    }
}
