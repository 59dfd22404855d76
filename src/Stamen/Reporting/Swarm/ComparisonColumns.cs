using System.Globalization;
using Stamen.Experiments;
using Stamen.Simulation.Metrics;

namespace Stamen.Reporting.Swarm;

/// <summary>A column of the comparison table: its heading, the metric it shows, and the number format.</summary>
public sealed record ComparisonColumn(string Header, string Metric, string Format, bool WithCi = true)
{
    public string Cell(AlgorithmResult result, Func<MeanWithCi, string, string> withCi)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(withCi);
        var value = result.Metric(Metric);
        return WithCi ? withCi(value, Format) : value.Mean.ToString(Format, CultureInfo.InvariantCulture);
    }
}

/// <summary>The comparison table's metric columns, one list that the console and the report both read so they show the same numbers.</summary>
public static class ComparisonColumns
{
    public static IReadOnlyList<ComparisonColumn> All { get; } =
    [
        new("s/token", SwarmMetricNames.MeanTimePerToken, "0.000"),
        new("p95 s/token", SwarmMetricNames.P95TimePerToken, "0.000"),
        new("first token s", SwarmMetricNames.MeanFirstToken, "0.00"),
        new("s/token after 1st", SwarmMetricNames.MeanPerTokenAfterFirst, "0.000"),
        new("wait s", SwarmMetricNames.MeanWait, "0.00"),
        new("tokens/s", SwarmMetricNames.Throughput, "0.0"),
        new("failed", SwarmMetricNames.Failed, "0.#", WithCi: false),
    ];
}
