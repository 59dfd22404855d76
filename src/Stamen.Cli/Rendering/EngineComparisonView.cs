using Spectre.Console;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;
using static Stamen.Cli.Rendering.ConsoleOut;

namespace Stamen.Cli.Rendering;

/// <summary>The engine comparison table: one row per policy, latencies in seconds.</summary>
internal static class EngineComparisonView
{
    public static void WriteSummary(IAnsiConsole console, EngineScenario scenario, int seed)
    {
        var c = scenario.Config;
        console.Heading($"{scenario.Name}: {c.Model.Name} on {c.Gpu.Name}, seed {seed}");
        console.Note(FormattableString.Invariant(
            $"KV {c.KvCapacityTokens:N0} tokens, max batch {c.MaxBatchSize}, token budget {c.TokenBudgetPerIteration}, max context {c.MaxContextTokens}; step time {scenario.StepTimeLabel}"));
        var d = scenario.Deployment;
        if (d.Instances > 1) console.Note(FormattableString.Invariant($"{d.Instances} instances behind the {d.Router} router (distkv lends up to {100 * d.DistKv.LendingCapFraction:0}% of each cache)"));
        if (d.Lora is { } lora)
            console.Note(FormattableString.Invariant(
                $"LoRA: {lora.Adapters.Count} adapters, max_loras {lora.MaxLoras}, max rank {lora.MaxLoraRank}, overhead {(lora.Overhead is null ? "off" : "on")}, KV {scenario.KvLabel}"));
        console.Note($"Workload: {scenario.Workload.Describe()}");
    }

    public static void Write(IAnsiConsole console, EngineScenario scenario, IReadOnlyList<EngineRunResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(scenario.Name));
        table.AddColumn(new TableColumn("policy").NoWrap());
        foreach (var header in (string[])["tokens/s", "mean TTFT s", "p99 TTFT s", "mean ITL s", "e2e p50 s", "e2e p99 s", "preempt", "rejected", "KV util", "KV waste", "served/offered"])
            table.AddColumn(new TableColumn(header).RightAligned().NoWrap());
        foreach (var r in results)
        {
            var m = r.Metrics;
            table.AddRow(
                Markup.Escape(r.PolicyName),
                F(m.TotalTokensPerSec, "0"),
                F(m.TimeToFirstToken.MeanMs / 1000, "0.000"),
                F(m.TimeToFirstToken.P99Ms / 1000, "0.000"),
                F(m.InterTokenLatency.MeanMs / 1000, "0.0000"),
                F(m.EndToEndLatency.P50Ms / 1000, "0.00"),
                F(m.EndToEndLatency.P99Ms / 1000, "0.00"),
                m.Preemptions.ToString(System.Globalization.CultureInfo.InvariantCulture),
                m.Rejected.ToString(System.Globalization.CultureInfo.InvariantCulture),
                F(100 * m.KvUtilisation, "0.0") + "%",
                F(100 * m.KvWasteFraction, "0.0") + "%",
                Served(m.Starvation));
        }
        console.Write(table);
        console.Note("tokens/s: input + output tokens of completed requests over the makespan; KV util and waste are time averages over the KV capacity;");
        console.Note("served/offered: token rates over the arrival window; starved below 0.9.");
        WriteAdapters(console, results);
    }

    private static string Served(StarvationSummary s) =>
        s.OfferedTokensPerSec <= 0 ? "-" : F(s.ServedTokensPerSec / s.OfferedTokensPerSec, "0.00") + (s.Starved ? " [red]starved[/]" : "");

    /// <summary>Per policy: adapters starved and adapter loads, when adapters are served.</summary>
    private static void WriteAdapters(IAnsiConsole console, IReadOnlyList<EngineRunResult> results)
    {
        if (results.Count == 0 || results[0].Adapters.Count == 0) return;
        foreach (var r in results)
        {
            var starved = r.Adapters.Count(a => a.Starvation.Starved);
            console.Note(FormattableString.Invariant($"{r.PolicyName}: {starved} of {r.Adapters.Count} adapters starved, {r.Metrics.AdapterLoads} adapter loads"));
        }
    }
}
