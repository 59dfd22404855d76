using Stamen.Experiments;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Runtime.Model;
using Stamen.Scenarios;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;

namespace Stamen.Runtime.Calibration;

/// <summary>
/// Turns a swarm scenario into validation cases: its servers made this machine (the profile's block times, the runtime's
/// fp32 model), its network kept (each client's propagation round trip to each server, emulated), each algorithm's
/// placement planned on that swarm, each client's route chosen by the algorithm's router, and the scenario's first
/// requests run one after another through the chains.
/// </summary>
public static class ScenarioValidation
{
    public static IReadOnlyList<ValidationCase> Build(ScenarioResolver resolver, ResolvedRun run, IReadOnlyList<ResolvedAlgorithm> algorithms,
        LlamaConfig config, RuntimeProfile profile, int requests, int maxServers)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(algorithms);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(profile);
        var file = resolver.Definition.SourceFile;
        var swarm = OnThisMachine(run.Swarm, resolver.Model.Name, config, profile);
        var chosen = run.Requests.OrderBy(r => r.ArrivalMs).ThenBy(r => r.Id).Take(requests)
            .Select(r => Clip(r.ClientIndex, r.Shape.PromptTokens, r.Shape.OutputTokens, config.MaxPositions)).ToList();
        var cases = new List<ValidationCase>();
        foreach (var algorithm in algorithms)
        {
            var planned = SwarmExperiment.Plan(run with { Swarm = swarm }, algorithm);
            var placement = planned.Plan.Placement;
            var state = new SwarmState(swarm, placement);
            var random = new Random(run.Seed);
            var hosting = Enumerable.Range(0, swarm.Servers.Count).Where(j => !placement.Spans[j].IsEmpty).ToList();
            if (hosting.Count > maxServers)
                throw new StamenInputException(file, "servers", $"{algorithm.Name} places blocks on {hosting.Count} servers; a validation starts each as a server on this machine",
                    $"use a scenario with at most {maxServers} servers, or raise --max-servers");
            var index = hosting.Select((j, i) => (j, i)).ToDictionary(x => x.j, x => x.i);
            var servers = hosting.Select(j => new ValidationServer(swarm.Servers[j].Name, new BlockRange(placement.Spans[j].Start, placement.Spans[j].End))).ToList();
            var clients = new List<ValidationClient>();
            for (var c = 0; c < swarm.Clients.Count; c++)
            {
                var route = planned.Router.Choose(new RoutingQuery(c, run.Typical, 0, state, random))
                    ?? throw new StamenInputException(file, "algorithms", $"{algorithm.Name} finds no route for client {swarm.Clients[c].Name}",
                        "give the servers enough memory (memory_gb, max_blocks) to cover every block");
                clients.Add(new ValidationClient(swarm.Clients[c].Name, [.. hosting.Select(j => swarm.Delays.ClientPropagationRttMs(c, j))],
                    [.. route.Hops.Select(h => new RouteHop(index[h.Server], h.StartBlock, h.EndBlock))]));
            }
            cases.Add(new ValidationCase(algorithm.Name, servers, clients, chosen));
        }
        return cases;
    }

    /// <summary>The runtime preset the scenario's model names; a model the runtime cannot run is a clear error, before the swarm is checked.</summary>
    public static LlamaConfig ModelOf(ScenarioDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = definition.Model.CatalogName ?? definition.Model.ImportedName ?? definition.Model.ConfigPath ?? "(none)";
        return LlamaConfig.Presets.TryGetValue(name, out var config) ? config
            : throw new StamenInputException(definition.SourceFile, "model", $"'{name}' is not a model the runtime can run",
                $"a validation runs real weights on this CPU: set `model:` to one of {string.Join(", ", LlamaConfig.Presets.Keys)}");
    }

    /// <summary>
    /// The scenario's swarm as it runs here: every server this CPU (the profile's block times), the fp32 runtime model, and
    /// round trips of the emulated network plus the measured hop overhead (a session's first hop: one more round trip to open it).
    /// </summary>
    public static SwarmSpec OnThisMachine(SwarmSpec swarm, string modelName, LlamaConfig config, RuntimeProfile profile)
    {
        ArgumentNullException.ThrowIfNull(swarm);
        ArgumentNullException.ThrowIfNull(profile);
        int m = swarm.Clients.Count, n = swarm.Servers.Count;
        var perToken = new double[m, n];
        var first = new double[m, n];
        var propagation = new double[m, n];
        for (var c = 0; c < m; c++)
            for (var j = 0; j < n; j++)
            {
                var rtt = swarm.Delays.ClientPropagationRttMs(c, j);
                propagation[c, j] = rtt;
                perToken[c, j] = rtt + profile.HopOverheadMs;
                first[c, j] = 2 * rtt + profile.HopOverheadMs;
            }
        var serverRtt = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                serverRtt[i, j] = swarm.Delays.ServerRttMs(i, j);
        return new SwarmSpec(RuntimeProfiler.ModelSpecOf(modelName, config), [.. swarm.Servers.Select(s => s with { Times = profile.Times })], swarm.Clients,
            new SwarmDelays(perToken, first, new double[m, n], serverRtt, propagation));
    }

    /// <summary>A request cut to fit the model's positions: the prompt first (at most half of them), then the new tokens.</summary>
    private static ValidationRequest Clip(int client, int prompt, int output, int maxPositions)
    {
        var p = Math.Clamp(prompt, 1, maxPositions / 2);
        return new ValidationRequest(client, p, Math.Clamp(output, 1, maxPositions - p));
    }
}
