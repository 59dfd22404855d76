using System.Globalization;
using Spectre.Console;
using Stamen.Scenarios;

namespace Stamen.Cli.Rendering;

/// <summary>A few lines saying what is being run: model, servers, network, workload.</summary>
internal static class ScenarioSummaryView
{
    public static void Write(IAnsiConsole console, ScenarioResolver resolver, int runs, int seed)
    {
        var d = resolver.Definition;
        var run0 = resolver.Resolve(0, seed);
        var gpus = run0.Swarm.Servers.GroupBy(s => s.GpuName).Select(g => $"{g.Count()} x {g.Key}");
        var network = resolver.Topology is { } t ? $"{t.Name} ({t.Count} nodes)" : "measured delays per server";
        console.MarkupLine($"[bold]{Markup.Escape(d.Name)}[/]");
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"  model {resolver.Model.Name}: {resolver.Model.NumBlocks} blocks of {resolver.Model.BlockBytes / 1e9:0.###} GB; servers {string.Join(", ", gpus)}; network {network}")));
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"  workload {run0.Requests.Count} requests, planning rate {run0.ArrivalRatePerSec:0.###}/s ({run0.RateSource}), typical l_in {run0.Typical.PromptTokens}, l_max {run0.Typical.OutputTokens}; {d.Clients.Count} client(s); {runs} run(s) from seed {seed}")));
    }
}
