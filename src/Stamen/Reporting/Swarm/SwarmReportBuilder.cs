using System.Globalization;
using Stamen.Experiments;
using Stamen.Scenarios;
using Stamen.Simulation.Metrics;
using Stamen.Simulation.Swarm;
using static Stamen.Reporting.Swarm.SwarmCharts;

namespace Stamen.Reporting.Swarm;

/// <summary>
/// The report of a swarm comparison (`stamen compare`, `stamen simulate`): the table the console shows, latency
/// distributions over every run, and run 0's placements, routes and cache timeline. A pure function of the results, so the
/// same results give the same report.
/// </summary>
public static class SwarmReportBuilder
{
    /// <param name="resolver">The scenario the results came from (summary, topology).</param>
    /// <param name="result">The aggregated comparison.</param>
    /// <param name="runs">Every simulated run as [run][algorithm], algorithms in <paramref name="result"/>'s order; run 0's
    /// timeline is drawn when it was recorded.</param>
    /// <param name="title">Page heading.</param>
    /// <param name="command">The command line, for the reader to re-run.</param>
    public static Report Build(ScenarioResolver resolver, ComparisonResult result, IReadOnlyList<IReadOnlyList<SimulatedRun>> runs, string title, string command)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0 || runs.Any(r => r.Count != result.Results.Count))
            throw new ArgumentException("runs must hold one simulated run per algorithm of the result, for at least one run", nameof(runs));
        var names = result.Results.Select(r => r.Algorithm).ToList();
        var first = runs[0];
        var perToken = names.Select((_, a) => Served(runs, a).Select(o => o.AverageMsPerToken / 1000).ToList()).ToList();
        var firstToken = names.Select((_, a) => Served(runs, a).Select(o => o.FirstTokenMs / 1000).ToList()).ToList();
        var requestsNote = Invariant($"Served requests of all {result.Runs} run(s), pooled; failed requests are left out.");

        var sections = new List<ReportSection>
        {
            new("Comparison", Invariant($"Means over {result.Runs} run(s) from seed {result.Seed}; ± is the 95% confidence half-width over runs. Times include waits for cache space{(result.FixedDelays ? " and the fixed per-request delays" : "")}. Wall-clock figures (planning time, in the JSON's timings) are left out so the same input gives the same report.{string.Concat(result.IdenticalNotes("the charts below").Select(n => " " + n))}"),
                [ComparisonTable(result)], []),
            new("Latency distributions", requestsNote,
            [],
            [
                LatencyCdf("Time per token (total time / output tokens), all runs", "time per token", names, perToken),
                LatencyCdf("Time to first token, all runs", "time to first token", names, firstToken),
            ]),
            new("Placement, run 0", "Which blocks each server holds in run 0, coloured by GPU kind, with the sessions of the typical request it fits.",
                [], [.. first.Select(s => (Chart)PlacementStrip(s.Planned, Invariant($"Placement of {s.Planned.Algorithm.Name}, run 0")))]),
        };
        var routes = first.Select((s, a) => SampleOf(s, names[a])).OfType<SampleRoute>().ToList();
        var (map, mapNote) = Map(resolver.Topology, first[0].Planned.Run.Swarm, routes, "Servers, clients and the first served request's route per algorithm, run 0");
        sections.Add(new ReportSection("Map, run 0", mapNote ?? "Each route goes from the client through its servers in hop order.", [], map is null ? [] : [map]));
        if (first.Any(s => s.Twin.Timeline.Count > 0))
            sections.Add(new ReportSection("Cache and waiting over time, run 0",
                "Cache held by sessions summed over servers, and requests waiting to start, each time a session starts or ends.", [], Timelines(names, first)));
        return new Report("swarm", title, command, Summary(resolver, first[0].Planned.Run, result.Runs, result.Seed), sections);
    }

    private static IEnumerable<RequestOutcome> Served(IReadOnlyList<IReadOnlyList<SimulatedRun>> runs, int algorithm) =>
        runs.SelectMany(r => r[algorithm].Twin.Requests).Where(o => o.Succeeded);

    /// <summary>The console's comparison table with the same numbers and formats, less the planning wall time.</summary>
    private static ReportTable ComparisonTable(ComparisonResult result)
    {
        var rows = result.Results.Select(r => (IReadOnlyList<string>)[r.Algorithm, .. ComparisonColumns.All.Select(c => c.Cell(r, WithCi))]).ToList();
        return new ReportTable(Invariant($"{result.Scenario}: {result.Runs} runs, seed {result.Seed}{(result.FixedDelays ? ", with fixed delays" : "")}"),
            ["algorithm", .. ComparisonColumns.All.Select(c => c.Header)], rows);
    }

    private static string WithCi(MeanWithCi m, string format) =>
        m.Runs > 1 && m.HalfWidth95 > 0
            ? m.Mean.ToString(format, CultureInfo.InvariantCulture) + " ±" + m.HalfWidth95.ToString(format, CultureInfo.InvariantCulture)
            : m.Mean.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>One CDF step series per algorithm; the text names the lowest and highest median and the gap between them.</summary>
    private static LineChart LatencyCdf(string title, string what, List<string> names, List<List<double>> secondsPerAlgorithm)
    {
        var series = names.Select((n, a) => Cdf.Of(n, secondsPerAlgorithm[a])).ToList();
        var medians = names.Select((n, a) => (Name: n, Median: Median(secondsPerAlgorithm[a]), Count: secondsPerAlgorithm[a].Count))
            .Where(m => m.Count > 0).OrderBy(m => m.Median).ToList();
        string alt;
        if (medians.Count == 0) alt = Invariant($"No request was served, so there is no {what} to show.");
        else if (medians.Count == 1)
        {
            var sorted = secondsPerAlgorithm[names.IndexOf(medians[0].Name)].Order().ToList();
            alt = Invariant($"{medians[0].Name}: median {what} {medians[0].Median:0.###} s, 95th percentile {Percentiles.OfSorted(sorted, 0.95):0.###} s over {medians[0].Count} served requests.");
        }
        else
        {
            var (best, worst) = (medians[0], medians[^1]);
            var gap = worst.Median > 0 ? 100 * (worst.Median - best.Median) / worst.Median : 0;
            alt = Invariant($"{best.Name} has the lowest median {what}, {best.Median:0.###} s, {gap:0.#}% below {worst.Name}, the highest at {worst.Median:0.###} s.");
        }
        return new LineChart(title, alt, new Axis(what, "s", AxisScale.Log), new Axis("fraction of requests", null, Min: 0, Max: 1), series);
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : Percentiles.OfSorted(values.Order().ToList(), 0.5);

    /// <summary>The first served request's route in the run, as a map route named after the algorithm.</summary>
    private static SampleRoute? SampleOf(SimulatedRun run, string name) =>
        run.Twin.Requests.FirstOrDefault(o => o.Succeeded && o.Hops.Count > 0) is { } o ? new SampleRoute(name, o.Client, o.Servers()) : null;

    private static List<Chart> Timelines(List<string> names, IReadOnlyList<SimulatedRun> first)
    {
        var cache = new List<XySeries>();
        var waiting = new List<XySeries>();
        var cachePeaks = new List<(string Name, double Gb, double AtSec)>();
        var waitingPeaks = new List<(string Name, double Count, double AtSec)>();
        for (var a = 0; a < names.Count; a++)
        {
            var (timeSec, cacheGb, waitingCount) = Totals(first[a]);
            cache.Add(Thinned(names[a], timeSec, cacheGb));
            waiting.Add(Thinned(names[a], timeSec, waitingCount));
            cachePeaks.Add(Peak(names[a], timeSec, cacheGb));
            waitingPeaks.Add(Peak(names[a], timeSec, waitingCount));
        }
        var cacheAlt = string.Join("; ", cachePeaks.OrderByDescending(p => p.Gb).Select(p => Invariant($"{p.Name} peaks at {p.Gb:0.##} GB ({p.AtSec:0} s)")));
        var waitingAlt = waitingPeaks.All(p => p.Count == 0)
            ? "No request waited to start in run 0 under any algorithm."
            : string.Join("; ", waitingPeaks.Where(p => p.Count > 0).OrderByDescending(p => p.Count).Select(p => Invariant($"{p.Name} has up to {p.Count:0} waiting ({p.AtSec:0} s)"))
                .Concat(waitingPeaks.Any(p => p.Count == 0) ? [string.Join(", ", waitingPeaks.Where(p => p.Count == 0).Select(p => p.Name)) + ": none waiting"] : [])) + ".";
        var time = new Axis("time since the first arrival", "s");
        return
        [
            new LineChart("Cache in use across servers over time, run 0", cacheAlt + ".", time, new Axis("cache in use", "GB", Min: 0), cache),
            new LineChart("Requests waiting to start over time, run 0", waitingAlt, time, new Axis("requests waiting", "requests", Min: 0), waiting),
        ];
    }

    /// <summary>Cache summed over servers (GB) and requests waiting, one point per distinct event time (the last state at that time).</summary>
    private static (List<double> TimeSec, List<double> CacheGb, List<double> Waiting) Totals(SimulatedRun run)
    {
        var timeline = run.Twin.Timeline;
        var perServer = new double[run.Planned.Run.Swarm.ServerCount];
        var startMs = run.Twin.Requests.Count == 0 ? 0 : run.Twin.Requests.Min(r => r.ArrivalMs);
        double total = 0;
        var (time, cache, waiting) = (new List<double>(), new List<double>(), new List<double>());
        foreach (var p in timeline)
        {
            total += p.CacheBytesUsed - perServer[p.Server];
            perServer[p.Server] = p.CacheBytesUsed;
            var t = (p.TimeMs - startMs) / 1000;
            if (time.Count > 0 && time[^1] == t)
            {
                cache.RemoveAt(cache.Count - 1);
                waiting.RemoveAt(waiting.Count - 1);
                time.RemoveAt(time.Count - 1);
            }
            time.Add(t);
            cache.Add(Math.Max(0, total) / 1e9);
            waiting.Add(p.WaitingRequests);
        }
        return (time, cache, waiting);
    }

    private static XySeries Thinned(string name, List<double> x, List<double> y)
    {
        var (tx, ty) = Cdf.Downsample(x, y);
        return new XySeries(name, tx, ty, Step: true);
    }

    private static (string Name, double Value, double AtSec) Peak(string name, List<double> timeSec, List<double> values)
    {
        if (values.Count == 0) return (name, 0, 0);
        var i = values.IndexOf(values.Max());
        return (name, values[i], timeSec[i]);
    }
}
