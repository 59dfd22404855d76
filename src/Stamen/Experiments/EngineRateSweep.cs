using System.Globalization;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Experiments;

/// <summary>
/// A latency target for "throughput at equal latency": a run meets it when every given bound holds and the
/// load is not starved. Null bounds are not checked.
/// </summary>
public sealed record EngineSlo(double? P99TtftS = 5.0, double? MeanItlS = 0.1, double? P99EndToEndS = null)
{
    public bool IsMetBy(EngineMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return (P99TtftS is not { } ttft || m.TimeToFirstToken.P99Ms <= ttft * 1000)
            && (MeanItlS is not { } itl || m.InterTokenLatency.MeanMs <= itl * 1000)
            && (P99EndToEndS is not { } e2e || m.EndToEndLatency.P99Ms <= e2e * 1000)
            && !m.Starvation.Starved && m.Completed > 0;
    }

    public string Describe()
    {
        var parts = new List<string>();
        if (P99TtftS is { } t) parts.Add(string.Create(CultureInfo.InvariantCulture, $"p99 TTFT <= {t:0.###} s"));
        if (MeanItlS is { } i) parts.Add(string.Create(CultureInfo.InvariantCulture, $"mean ITL <= {i:0.###} s"));
        if (P99EndToEndS is { } e) parts.Add(string.Create(CultureInfo.InvariantCulture, $"p99 end-to-end <= {e:0.###} s"));
        parts.Add("not starved");
        return string.Join(", ", parts);
    }
}

/// <summary>One policy at one rate.</summary>
/// <param name="RateFactor">Arrivals this many times as frequent as the scenario's.</param>
/// <param name="OfferedRequestsPerSec">Requests over the arrival window.</param>
public sealed record EngineSweepPoint(double RateFactor, double OfferedRequestsPerSec, EngineMetrics Metrics, bool MeetsSlo);

/// <summary>One policy across the rates, and its capacity: the highest rate at which it met the SLO (and every lower rate too).</summary>
public sealed record EngineSweepRow(string Policy, IReadOnlyList<EngineSweepPoint> Points)
{
    /// <summary>The last point of the leading run of points that meet the SLO, or null when the first already fails.</summary>
    public EngineSweepPoint? Capacity => Points.TakeWhile(p => p.MeetsSlo).LastOrDefault();
}

/// <summary>
/// Throughput at equal latency, the way the vLLM and ORCA papers compare systems: run every policy of a
/// scenario at rising request rates on the same arrivals (scaled), and report the highest rate each
/// sustains within a latency SLO, with the throughput it delivers there.
/// </summary>
public static class EngineRateSweep
{
    public static IReadOnlyList<EngineSweepRow> Run(EngineScenario scenario, IReadOnlyList<double> factors, EngineSlo slo, int? seed = null,
        IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(slo);
        if (factors.Count == 0 || factors.Any(f => !(f > 0) || !double.IsFinite(f)))
            throw new StamenInputException("sweep", "--factors", "needs positive rate factors", "give e.g. --factors 1,2,3,4");
        var ordered = factors.Distinct().Order().ToArray();
        var points = scenario.Policies.ToDictionary(p => p.Name, _ => new List<EngineSweepPoint>());
        var total = ordered.Length * scenario.Policies.Count;
        var done = 0;
        progress?.Report(new ExperimentProgress(0, total));
        foreach (var factor in ordered)
        {
            var requests = scenario.Workload.Scaled(factor).Generate(seed ?? scenario.Seed);
            var windowS = requests.Count > 1 ? (requests.Max(r => r.ArrivalMs) - requests.Min(r => r.ArrivalMs)) / 1000 : 0;
            var offered = windowS > 0 ? requests.Count / windowS : 0;
            foreach (var policy in scenario.Policies)
            {
                var metrics = EngineTwin.Run(scenario.Deployment, policy, requests).Metrics;
                points[policy.Name].Add(new EngineSweepPoint(factor, offered, metrics, slo.IsMetBy(metrics)));
                progress?.Report(new ExperimentProgress(++done, total));
            }
        }
        return [.. scenario.Policies.Select(p => new EngineSweepRow(p.Name, points[p.Name]))];
    }
}
