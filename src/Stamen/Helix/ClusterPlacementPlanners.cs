using Stamen.Optimization.Milp;
using Stamen.Options;
using Stamen.Plans;
using Stamen.Simulation.Cluster;

namespace Stamen.Helix;

/// <summary>What a cluster placement planner sees: the machines (types, profiles), T_i(k) and link capacities, the model's layers.</summary>
public sealed record ClusterPlanningInput(HelixCluster Cluster, ClusterSpec Spec, HelixThroughputs Throughputs)
{
    public int Layers => Spec.Layers;
    public int NodeCount => Cluster.Nodes.Count;

    /// <summary>Most layers node i may hold under Helix's rule (weights in at most half its memory), from its T_i(k) table.</summary>
    public int MostLayers(int node) => FlowLocalSearch.MostLayers(Throughputs, node, Layers);

    /// <summary>
    /// Most layers node i can hold and still keep one longest request (2,048 prompt + 1,000 output tokens) in KV
    /// on every layer: the physical limit of its profile, past Helix's half-memory rule (our choice, for
    /// baselines that need more layers per machine than that rule allows, as Helix's separate pipelines do).
    /// </summary>
    public int MostLayersByMemory(int node)
    {
        var profile = Spec.Servers[node].Profile;
        var k = 0;
        while (k < Math.Min(Layers, profile.MaxLayers) && profile.KvTokenLayers[k + 1] >= LongestRequestTokens * (k + 1L)) k++;
        return k;
    }

    public const int LongestRequestTokens = 2048 + 1000;
}

/// <summary>Decides which contiguous layers each machine of a cluster holds.</summary>
public interface IClusterPlacementPlanner
{
    IReadOnlyList<BlockSpan> Plan(ClusterPlanningInput input);
}

/// <summary>
/// Helix's Swarm baseline: the model cut into equal stages of <c>stage_layers</c>; machines, fastest first by
/// T_i(stage_layers), each join the stage whose machines carry the least so far (ties: the earlier stage).
/// A machine that cannot hold a stage holds nothing.
/// </summary>
public sealed class SwarmStagesPlanner(int? stageLayers) : IClusterPlacementPlanner
{
    public IReadOnlyList<BlockSpan> Plan(ClusterPlanningInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var n = input.NodeCount;
        var most = Enumerable.Range(0, n).Select(input.MostLayers).ToArray();
        var size = stageLayers ?? DefaultStage(most, input.Layers);
        if (size < 1 || size > input.Layers || input.Layers % size != 0)
            throw new StamenInputException("(swarm placement)", "stage_layers", $"{size} does not divide the model's {input.Layers} layers", "give a divisor of the layer count");
        var stages = input.Layers / size;
        var load = new double[stages];
        var spans = new BlockSpan[n];
        var order = Enumerable.Range(0, n).Where(i => most[i] >= size)
            .OrderByDescending(i => input.Throughputs.NodeTokensPerSec(i, size) ?? 0).ThenBy(i => i);
        foreach (var i in order)
        {
            var stage = 0;
            for (var s = 1; s < stages; s++) if (load[s] < load[stage]) stage = s;
            load[stage] += input.Throughputs.NodeTokensPerSec(i, size) ?? 0;
            spans[i] = new BlockSpan(stage * size, size);
        }
        return spans;
    }

    /// <summary>Helix's choice: the largest stage every machine can hold that divides the model (LLaMA-2-70B on T4s: 4; LLaMA-1-30B: 6).</summary>
    private static int DefaultStage(int[] most, int layers)
    {
        var size = Math.Max(1, most.Where(m => m > 0).DefaultIfEmpty(1).Min());
        while (size > 1 && layers % size != 0) size--;
        return size;
    }
}

/// <summary>
/// Helix's separate-pipelines baseline: the machines of each type form their own pipeline(s), the model's
/// layers split as evenly as possible over a pipeline's machines (the larger shares last). Helix wrote these
/// placements by hand, past its own half-memory rule; here a pipeline's machines may hold up to the memory
/// limit (<see cref="ClusterPlanningInput.MostLayersByMemory"/>), and a type whose machines cannot hold the
/// model together that way holds nothing.
/// </summary>
public sealed class SeparatePipelinesPlanner(int pipelinesPerType) : IClusterPlacementPlanner
{
    public IReadOnlyList<BlockSpan> Plan(ClusterPlanningInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var spans = new BlockSpan[input.NodeCount];
        foreach (var group in Pipelines(input))
            foreach (var (node, span) in group) spans[node] = span;
        return spans;
    }

    /// <summary>The pipelines, each its machines and their spans in layer order.</summary>
    public IReadOnlyList<(int Node, BlockSpan Span)[]> Pipelines(ClusterPlanningInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pipelines = new List<(int, BlockSpan)[]>();
        foreach (var type in input.Cluster.Nodes.Select(n => n.Type).Distinct(StringComparer.Ordinal))
        {
            var nodes = input.Cluster.Nodes.Where(n => n.Type == type).Select(n => n.Index).ToArray();
            for (var p = Math.Min(pipelinesPerType, nodes.Length); p >= 1; p--)
            {
                var planned = Enumerable.Range(0, p).Select(g => Split(nodes.Where((_, j) => j % p == g).ToArray(), input)).ToArray();
                if (planned.Any(x => x is null)) continue;
                pipelines.AddRange(planned!);
                break;
            }
        }
        return pipelines;
    }

    private static (int Node, BlockSpan Span)[]? Split(int[] group, ClusterPlanningInput input)
    {
        var result = new (int, BlockSpan)[group.Length];
        var start = 0;
        for (var j = 0; j < group.Length; j++)
        {
            var count = input.Layers / group.Length + (j >= group.Length - input.Layers % group.Length ? 1 : 0);
            if (count == 0 || count > input.MostLayersByMemory(group[j])) return null;
            result[j] = (group[j], new BlockSpan(start, count));
            start += count;
        }
        return result;
    }
}

/// <summary>
/// Ours: the placement with the highest static max flow among the Swarm and separate-pipelines baselines
/// (those T_i(k) covers), then improved by <see cref="FlowLocalSearch"/> (simulated annealing scored by the max
/// flow) in <c>restarts</c> independent runs with seeds derived from <c>seed</c>, the best kept (ties: the
/// earliest run). One annealing run ends where its first moves led, so runs that start alike end far apart
/// (on single24, from 757.85 to 1,347.87 tokens/s over six seeds): restarts buy most of the quality.
/// </summary>
public sealed class FlowSearchPlanner(int moves, int seed, int restarts = 8) : IClusterPlacementPlanner
{
    public IReadOnlyList<BlockSpan> Plan(ClusterPlanningInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = new[] { new SwarmStagesPlanner(null).Plan(input), new SeparatePipelinesPlanner(1).Plan(input) }
            .Select(s => (Spans: s, Flow: Flow(s, input)))
            .MaxBy(s => s.Flow).Spans;
        var runs = new (IReadOnlyList<BlockSpan> Spans, double TokensPerSec)[Math.Max(1, restarts)];
        Parallel.For(0, runs.Length, r =>
            runs[r] = FlowLocalSearch.Improve(start, input.Layers, input.Throughputs, new FlowLocalSearchOptions(moves, Simulation.SeedStreams.Derive(seed, r))));
        var best = 0;
        for (var r = 1; r < runs.Length; r++) if (runs[r].TokensPerSec > runs[best].TokensPerSec + 1e-9) best = r;
        return runs[best].Spans;
    }

    // Separate pipelines may hold more layers than T_i(k) covers; such a start is skipped.
    private static double Flow(IReadOnlyList<BlockSpan> spans, ClusterPlanningInput input) =>
        input.Throughputs.Covers(spans) ? PlacementMaxFlow.Compute(spans, input.Layers, input.Throughputs).TokensPerSec : -1;
}

/// <summary>What the <c>helix</c> planner did: the placement, its start's and its own static max flow, and what the solve proved.</summary>
/// <param name="Solve">The MILP's result, or null when the instance was too large and the start was kept.</param>
/// <param name="ComputeBoundTokensPerSec">sum_i max_k k T_i(k) / L, the ceiling no placement passes.</param>
public sealed record HelixPlanResult(IReadOnlyList<BlockSpan> Spans, double StartTokensPerSec, double TokensPerSec, double ComputeBoundTokensPerSec,
    MilpResult? Solve, string Note);

/// <summary>
/// <c>helix</c>: Helix's max-flow placement, solved exactly through Stamen's solver layer with our span-indexed
/// formulation (<see cref="SpanFlowMilp"/>: no big-M, and the compute bound as a cut, so a placement that reaches
/// it stops the search), started from <see cref="FlowSearchPlanner"/>'s placement. Never worse than that start;
/// a cluster whose formulation would pass <c>max_variables</c> keeps the start (the note says so).
/// </summary>
public sealed class HelixMilpPlanner(string solver, double timeLimitSeconds, int maxVariables, int moves, int seed, int restarts) : IClusterPlacementPlanner
{
    public IReadOnlyList<BlockSpan> Plan(ClusterPlanningInput input) => PlanWithProof(input).Spans;

    public HelixPlanResult PlanWithProof(ClusterPlanningInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = new FlowSearchPlanner(moves, seed, restarts).Plan(input);
        var startFlow = PlacementMaxFlow.Compute(start, input.Layers, input.Throughputs);
        var variables = SpanFlowMilp.CountVariables(input.NodeCount, input.Layers, input.MostLayers);
        if (variables > maxVariables)
        {
            var bound = SpanFlowMilp.ComputeBound(input.NodeCount, input.Layers, input.Throughputs);
            return new HelixPlanResult(start, startFlow.TokensPerSec, startFlow.TokensPerSec, bound, null,
                $"the MILP would need {variables:N0} variables, more than max_variables = {maxVariables:N0}: flow-search's placement kept");
        }
        var milp = SpanFlowMilp.Build(input.NodeCount, input.Layers, input.Throughputs);
        var result = MilpSolverCatalog.Create(solver).Solve(milp.Model,
            new MilpOptions { TimeLimitSeconds = timeLimitSeconds, StartValues = milp.Start(start, startFlow), Seed = seed });
        if (result.HasSolution)
        {
            var spans = milp.Spans(result.Values, input.NodeCount);
            var flow = PlacementMaxFlow.Compute(spans, input.Layers, input.Throughputs).TokensPerSec;
            if (flow > startFlow.TokensPerSec + 1e-6)
                return new HelixPlanResult(spans, startFlow.TokensPerSec, flow, milp.ComputeBoundTokensPerSec, result, $"{solver}: {result.Status}, better than its start");
        }
        return new HelixPlanResult(start, startFlow.TokensPerSec, startFlow.TokensPerSec, milp.ComputeBoundTokensPerSec, result,
            $"{solver}: {result.Status}, flow-search's placement kept");
    }
}

/// <summary>Every cluster placement planner, in one table.</summary>
public static class ClusterPlacementCatalog
{
    public static Catalog<IClusterPlacementPlanner> Planners { get; } = new("cluster placement planners", "cluster-placements",
    [
        new("swarm", "Helix's Swarm baseline: equal stages, machines fastest first to the stage carrying least",
            [OptionSpec.WholeNumber("stage_layers", null, 1, 10_000, "Layers per stage; auto: the largest every machine holds that divides the model")],
            v => new SwarmStagesPlanner(v.WholeNumberOrNull("stage_layers"))),
        new("separate-pipelines", "Helix's baseline: each machine type serves the model alone, layers split evenly, up to the memory limit",
            [OptionSpec.WholeNumber("pipelines_per_type", 1, 1, 64, "Pipelines per machine type (fewer where the machines cannot hold more)")],
            v => new SeparatePipelinesPlanner(v.WholeNumber("pipelines_per_type"))),
        new("flow-search", "Ours: the better baseline by static max flow, improved by a max-flow-scored local search (simulated annealing)",
            [
                OptionSpec.WholeNumber("moves", 20_000, 0, FlowLocalSearchOptions.MaxIterations, "Moves tried"),
                OptionSpec.WholeNumber("seed", 1, 0, int.MaxValue, "Seed of the moves"),
                OptionSpec.WholeNumber("restarts", 8, 1, 1_000, "Independent annealing runs; the best placement is kept"),
            ],
            v => new FlowSearchPlanner(v.WholeNumber("moves"), v.WholeNumber("seed"), v.WholeNumber("restarts"))),
        new("helix", "Helix's max-flow placement as an exact MILP (our span-indexed formulation, no big-M, compute-bound cut) through Stamen's solvers, started from flow-search",
            [
                OptionSpec.Choice("solver", "scip", ["scip", "cbc", "ortools-cbc"], "MILP solver (the flows are continuous, which cp-sat cannot take)"),
                OptionSpec.Number("time_limit_s", 60, 0.1, 86_400, "Time limit of the solve", "s"),
                OptionSpec.WholeNumber("max_variables", 100_000, 1, 10_000_000, "Largest formulation solved; larger clusters keep flow-search's placement"),
                OptionSpec.WholeNumber("moves", 20_000, 0, FlowLocalSearchOptions.MaxIterations, "Moves of each flow-search run that makes the start"),
                OptionSpec.WholeNumber("seed", 1, 0, int.MaxValue, "Seed of the start's search and of the solver"),
                OptionSpec.WholeNumber("restarts", 8, 1, 1_000, "Flow-search runs for the start"),
            ],
            v => new HelixMilpPlanner(v.Choice("solver"), v.Number("time_limit_s"), v.WholeNumber("max_variables"), v.WholeNumber("moves"), v.WholeNumber("seed"), v.WholeNumber("restarts")))
        {
            SmallInstancesOnly = true,
        },
    ]);
}
