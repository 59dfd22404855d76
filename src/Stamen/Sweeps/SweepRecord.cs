using System.Reflection;

namespace Stamen.Sweeps;

/// <summary>One finished run of one algorithm in one cell: a row of the results store.</summary>
/// <param name="Metrics">Simulated figures, deterministic given the inputs.</param>
/// <param name="TimingsMs">Wall-clock figures (columns <c>timing_*</c>), the only part that differs between two machines.</param>
public sealed record SweepRecord(string RunId, int Cell, string Algorithm, int Run, int Seed,
    IReadOnlyList<KeyValuePair<string, double>> Metrics, IReadOnlyList<KeyValuePair<string, double>> TimingsMs, string StamenVersion)
{
    /// <summary>The run's non-numeric findings as JSON (<see cref="Families.SweepRunMetrics.Detail"/>), or null.</summary>
    public string? Detail { get; init; }

    /// <summary>This build's version (with its commit), written beside every record.</summary>
    public static string CurrentVersion { get; } =
        typeof(SweepRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Whether two records hold the same results (timings and version aside); NaN equals NaN.</summary>
    public bool SameResults(SweepRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (RunId != other.RunId || Algorithm != other.Algorithm || Run != other.Run || Seed != other.Seed || Detail != other.Detail) return false;
        var mine = Metrics.Where(m => !double.IsNaN(m.Value)).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        var theirs = other.Metrics.Where(m => !double.IsNaN(m.Value)).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        return mine.Count == theirs.Count && mine.Zip(theirs).All(p => p.First.Key == p.Second.Key && p.First.Value.Equals(p.Second.Value));
    }
}
