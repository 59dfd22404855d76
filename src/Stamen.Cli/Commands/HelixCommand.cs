using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.Helix;

namespace Stamen.Cli.Commands;

/// <summary>`stamen helix flow`: the static max flow (tokens/s) of a placement on a Helix cluster (issue 16).</summary>
internal static class HelixCommand
{
    private sealed record FlowSettings(string Cluster, string Layout, string Throughputs, int Layers, bool EnterMidSpan, string? Json);

    public static Command Create(CliConsole console) =>
        new("helix", "Heterogeneous clusters as Helix describes them: read its cluster, placement and throughput files")
        {
            Flow(console),
        };

    private static Command Flow(CliConsole console)
    {
        var cluster = new Argument<string>("cluster") { Description = "Helix cluster file (INI), e.g. data/helix/clusters/single24.ini" };
        var layout = new Argument<string>("layout") { Description = "Helix placement file, e.g. data/helix/layouts/single24-llama2-70b/ilp_sol.ini" };
        var throughputs = new Option<string>("--throughputs")
        {
            Description = "Folder with node_throughput.csv (node, layers, tokens_per_s) and edge_capacity.csv (from, to, tokens_per_s), e.g. data/helix/derived/single24-llama2-70b",
            Required = true,
            HelpName = "DIR",
        };
        var layers = new Option<int>("--layers") { Description = "Layers of the model (80 for LLaMA-2-70B, 60 for LLaMA-1-30B)", DefaultValueFactory = _ => 80, HelpName = "L" };
        var midSpan = new Option<bool>("--enter-mid-span") { Description = "Let a request enter a node inside its span, not only where it starts (PETALS' routing)" };
        var json = CommonOptions.Json();
        var command = new Command("flow", "Static max flow of a placement: the tokens/s the cluster carries when each node serves at most T_i(k) and each link its capacity")
        {
            cluster, layout, throughputs, layers, midSpan, json,
        };
        command.SetAction(p => CliRunner.Run(console, () => RunFlow(console, new FlowSettings(p.GetValue(cluster)!, p.GetValue(layout)!, p.GetValue(throughputs)!,
            p.GetValue(layers), p.GetValue(midSpan), p.GetValue(json)))));
        return command;
    }

    private static int RunFlow(CliConsole console, FlowSettings s)
    {
        if (s.Layers is < 1 or > 10_000)
            throw new StamenInputException("--layers", s.Layers.ToString(CultureInfo.InvariantCulture), "must be in 1..10000", "give the model's layer count, e.g. 80");
        var cluster = HelixClusterFile.Load(s.Cluster);
        var spans = HelixLayoutFile.Load(s.Layout, cluster.Nodes.Count, s.Layers);
        var tables = HelixThroughputs.Load(Path.Combine(s.Throughputs, "node_throughput.csv"), Path.Combine(s.Throughputs, "edge_capacity.csv"));
        var flow = PlacementMaxFlow.Compute(spans, s.Layers, tables, s.EnterMidSpan);

        var table = new Table().Border(TableBorder.Rounded).Title("nodes by the layers they hold").AddColumns("node", "type", "layers", "T_i(k) tokens/s");
        foreach (var node in cluster.Nodes.Where(n => !spans[n.Index].IsEmpty).OrderBy(n => spans[n.Index].Start))
        {
            var span = spans[node.Index];
            table.AddRow(I(node.Index), Markup.Escape(node.Type), $"[[{I(span.Start)}, {I(span.End)})",
                ConsoleOut.F(tables.NodeTokensPerSec(node.Index, span.Count) ?? double.NaN, "N1"));
        }
        console.Out.Write(table);
        console.Out.Heading(string.Create(CultureInfo.InvariantCulture,
            $"{cluster.Name}: max flow {flow.TokensPerSec:N2} tokens/s through {flow.LinkFlows.Count} links{(s.EnterMidSpan ? " (requests may enter a span mid-way)" : "")}"));
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new
            {
                cluster = cluster.Name,
                layers = s.Layers,
                enter_mid_span = s.EnterMidSpan,
                tokens_per_s = flow.TokensPerSec,
                nodes = cluster.Nodes.Select(n => new { node = n.Index, type = n.Type, start = spans[n.Index].Start, count = spans[n.Index].Count }).ToList(),
                link_flows = flow.LinkFlows.Select(l => new { from = l.From, to = l.To, tokens_per_s = l.TokensPerSec }).ToList(),
            });
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
