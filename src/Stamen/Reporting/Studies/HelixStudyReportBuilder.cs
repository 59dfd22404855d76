using System.Globalization;
using Stamen.Experiments;

namespace Stamen.Reporting.Studies;

/// <summary>The Helix study's table, shared by the console, Markdown and JSON outputs.</summary>
public static class HelixStudyReportBuilder
{
    public static ReportTable Table(IReadOnlyList<HelixStudyRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new ReportTable("Helix's clusters, LLaMA-2-70B offline: simulated decode throughput",
            ["cluster", "method", "placement", "scheduler", "feed", "static max flow", "decode tok/s", "Helix artifact", "prompt tok/s", "decode iteration ms", "KV overflows"],
            [.. rows.Select(r => (IReadOnlyList<string>)
            [
                r.Cluster, r.Method, r.Placement, r.Scheduler, r.Feed, F(r.StaticMaxFlowTokensPerSec, "N2"), F(r.DecodeTokensPerSec, "N1"),
                r.PublishedDecodeTokensPerSec is { } p ? F(p, "N1") : "", F(r.PromptTokensPerSec, "N1"), F(r.MeanDecodeLatencyMs, "N0"),
                r.KvOverflows.ToString(CultureInfo.InvariantCulture),
            ])]);
    }

    private static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
