using Stamen.Simulation.Swarm;

namespace Stamen.Simulation.Metrics;

/// <summary>
/// Figures of one twin run, in seconds. Time figures are over succeeded requests (NaN when none
/// succeeded); percentiles follow <see cref="Percentiles"/>. Throughput is output tokens of
/// succeeded requests over the span from the first arrival to the last session end.
/// </summary>
public sealed record SwarmMetrics(
    double MeanSecPerToken,
    double P50SecPerToken,
    double P95SecPerToken,
    double P99SecPerToken,
    double MeanFirstTokenSec,
    double P95FirstTokenSec,
    double MeanPerTokenAfterFirstSec,
    double MeanTotalSec,
    double MeanWaitSec,
    double MeanRetries,
    double ThroughputTokensPerSec,
    int Succeeded,
    int Failed)
{
    public static SwarmMetrics From(SwarmRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var perToken = new List<double>();
        var firstToken = new List<double>();
        double totalSum = 0, waitSum = 0, afterFirstSum = 0, retriesSum = 0, tokens = 0;
        double firstArrival = double.PositiveInfinity, lastEnd = double.NegativeInfinity;
        var failed = 0;
        foreach (var r in run.Requests)
        {
            firstArrival = Math.Min(firstArrival, r.ArrivalMs);
            if (!r.Succeeded) { failed++; continue; }
            perToken.Add(r.AverageMsPerToken / 1000);
            firstToken.Add(r.FirstTokenMs / 1000);
            totalSum += r.TotalMs / 1000;
            waitSum += r.WaitMs / 1000;
            retriesSum += r.Retries;
            // Per-token time after the first (reference section 1); a one-token request has none.
            afterFirstSum += r.OutputTokens > 1 ? (r.TotalMs - r.FirstTokenMs) / (r.OutputTokens - 1) / 1000 : 0;
            tokens += r.OutputTokens;
            lastEnd = Math.Max(lastEnd, r.EndMs);
        }
        var n = perToken.Count;
        var meanPerToken = n == 0 ? double.NaN : Sum(perToken) / n;
        var meanFirst = n == 0 ? double.NaN : Sum(firstToken) / n;
        perToken.Sort();
        firstToken.Sort();
        var makespanSec = (lastEnd - firstArrival) / 1000;
        return new SwarmMetrics(
            meanPerToken,
            Percentiles.OfSorted(perToken, 0.50),
            Percentiles.OfSorted(perToken, 0.95),
            Percentiles.OfSorted(perToken, 0.99),
            meanFirst,
            Percentiles.OfSorted(firstToken, 0.95),
            n == 0 ? double.NaN : afterFirstSum / n,
            n == 0 ? double.NaN : totalSum / n,
            n == 0 ? double.NaN : waitSum / n,
            n == 0 ? double.NaN : retriesSum / n,
            n == 0 || makespanSec <= 0 ? double.NaN : tokens / makespanSec,
            n,
            failed);
    }

    /// <summary>Every figure by name, in a fixed order: the one list reports and Monte Carlo summaries read.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Named() =>
    [
        new(SwarmMetricNames.MeanTimePerToken, MeanSecPerToken),
        new(SwarmMetricNames.P50TimePerToken, P50SecPerToken),
        new(SwarmMetricNames.P95TimePerToken, P95SecPerToken),
        new(SwarmMetricNames.P99TimePerToken, P99SecPerToken),
        new(SwarmMetricNames.MeanFirstToken, MeanFirstTokenSec),
        new(SwarmMetricNames.P95FirstToken, P95FirstTokenSec),
        new(SwarmMetricNames.MeanPerTokenAfterFirst, MeanPerTokenAfterFirstSec),
        new(SwarmMetricNames.MeanTotal, MeanTotalSec),
        new(SwarmMetricNames.MeanWait, MeanWaitSec),
        new(SwarmMetricNames.MeanRetries, MeanRetries),
        new(SwarmMetricNames.Throughput, ThroughputTokensPerSec),
        new(SwarmMetricNames.Succeeded, Succeeded),
        new(SwarmMetricNames.Failed, Failed),
    ];

    private static double Sum(List<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum;
    }
}
