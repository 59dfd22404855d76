using Spectre.Console;
using Stamen.Experiments;
using static Stamen.Cli.Rendering.ConsoleOut;

namespace Stamen.Cli.Rendering;

/// <summary>A plan as tables: servers with their blocks and capacity, planner figures, client routes.</summary>
internal static class PlanView
{
    public static void Write(IAnsiConsole console, PlanReport plan)
    {
        console.Heading($"{plan.Algorithm}: placement {plan.Placement}, routing {plan.Routing} (run {plan.Run}, sized for l_in {plan.PromptTokens}, l_max {plan.OutputTokens})");
        var servers = new Table().Border(TableBorder.Rounded);
        servers.AddColumns("server", "gpu", "node", "blocks", "count");
        servers.AddColumn(new TableColumn("memory GB").RightAligned());
        servers.AddColumn(new TableColumn("weights GB").RightAligned());
        servers.AddColumn(new TableColumn("cache GB").RightAligned());
        servers.AddColumn(new TableColumn("sessions").RightAligned());
        foreach (var s in plan.Servers)
            servers.AddRow(
                Markup.Escape(s.Server), Markup.Escape(s.Gpu), Markup.Escape(s.Node ?? "-"),
                s.Blocks == 0 ? "[grey]idle[/]" : $"[[{s.StartBlock}, {s.EndBlock})",
                s.Blocks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                F(s.MemoryGb, "0.00"), F(s.WeightsGb, "0.00"),
                F(s.CachePoolGb, "0.00") + (s.CachePerBlock ? " /block" : ""),
                s.SessionCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        console.Write(servers);

        if (plan.Figures.Count > 0)
            console.Note("Planner: " + string.Join(", ", plan.Figures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} = {F(f.Value, "0.###")}"))
                + $"; planned in {F(plan.Timings[Stamen.Experiments.MetricNames.PlanningMs], "0.0")} ms");

        console.Note($"Static max flow: {F(plan.StaticMaxFlowTokensPerSec, "N1")} tokens/s (every server at its session capacity, requests entering spans anywhere; the swarm model has no batching or link limits)");

        var routes = new Table().Border(TableBorder.Rounded).Title("Route of each client's typical request through the empty swarm");
        routes.AddColumns("client", "servers", "blocks");
        routes.AddColumn(new TableColumn("first token s").RightAligned());
        routes.AddColumn(new TableColumn("s/token after").RightAligned());
        routes.AddColumn(new TableColumn("mean s/token").RightAligned());
        foreach (var r in plan.Routes)
            routes.AddRow(Markup.Escape(r.Client), Markup.Escape(string.Join(" -> ", r.Servers)), Markup.Escape(r.Blocks),
                F(r.FirstTokenS, "0.000"), F(r.PerTokenS, "0.000"), F(r.AverageSPerToken, "0.000"));
        console.Write(routes);
    }
}
