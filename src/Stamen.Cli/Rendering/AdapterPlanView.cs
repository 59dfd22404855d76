using System.Globalization;
using Spectre.Console;
using Stamen.Adapters.Placement;
using Stamen.Experiments;

namespace Stamen.Cli.Rendering;

/// <summary>Adapter placement: GPUs per method beside the lower bound, and one method's GPUs in detail.</summary>
internal static class AdapterPlanView
{
    public static Table Summary(AdapterPlacementReport report)
    {
        var verified = report.VerifySeed is not null;
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{report.Workload.Name}: GPUs by method (lower bound {report.LowerBound.Gpus})"));
        table.AddColumn(new TableColumn("method").NoWrap());
        foreach (var h in verified
            ? (string[])["GPUs", "predicted starved", "plan ms", "twin: starved GPUs", "twin: tokens/s", "twin: offered"]
            : ["GPUs", "predicted starved", "plan ms"])
            table.AddColumn(new TableColumn(h).RightAligned().NoWrap());
        foreach (var m in report.Methods)
        {
            var row = new List<string>
            {
                Markup.Escape(m.Placement.Method),
                I(m.Placement.GpuCount),
                I(m.Placement.PredictedStarvedGpus),
                m.PlanMs.ToString("0", CultureInfo.InvariantCulture),
            };
            if (m.Verification is { } v)
            {
                row.Add(v.StarvedGpus == 0 ? "0" : $"[red]{v.StarvedGpus}[/]");
                row.Add(v.ThroughputTokensPerSec.ToString("N0", CultureInfo.InvariantCulture));
                row.Add(v.OfferedTokensPerSec.ToString("N0", CultureInfo.InvariantCulture));
            }
            table.AddRow(row.ToArray());
        }
        return table;
    }

    public static Table Gpus(AdapterMethodResult result)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{result.Placement.Method}: adapters per GPU"));
        foreach (var h in (string[])["GPU", "max_loras", "adapters", "max rank", "req/s"])
            table.AddColumn(new TableColumn(h).RightAligned().NoWrap());
        var verified = result.Verification is not null;
        if (verified)
            foreach (var h in (string[])["KV tokens", "tokens/s", "offered", "starved"])
                table.AddColumn(new TableColumn(h).RightAligned().NoWrap());
        table.AddColumn(new TableColumn("adapters (first 6)"));
        for (var i = 0; i < result.Placement.Gpus.Count; i++)
        {
            var g = result.Placement.Gpus[i];
            var row = new List<string> { I(i), I(g.Slots), I(g.Adapters.Count), I(g.MaxRank), g.RatePerSec.ToString("0.###", CultureInfo.InvariantCulture) };
            if (result.Verification is { } v)
            {
                var o = v.Gpus[i];
                row.Add(o.Starts ? o.KvCapacityTokens.ToString("N0", CultureInfo.InvariantCulture) : "[red]does not start[/]");
                row.Add(o.ThroughputTokensPerSec.ToString("N0", CultureInfo.InvariantCulture));
                row.Add(o.OfferedTokensPerSec.ToString("N0", CultureInfo.InvariantCulture));
                row.Add(o.Starved ? "[red]yes[/]" : "no");
            }
            row.Add(Markup.Escape(string.Join(", ", g.Adapters.Take(6).Select(a => a.Name)) + (g.Adapters.Count > 6 ? ", ..." : "")));
            table.AddRow(row.ToArray());
        }
        return table;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
