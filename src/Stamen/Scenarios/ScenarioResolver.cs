using System.Globalization;
using Stamen.Algorithms;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Network;
using Stamen.Options;
using Stamen.Performance;
using Stamen.Placement;
using Stamen.Routing;
using Stamen.Simulation;
using Stamen.Simulation.Swarm;
using Stamen.Swarm;
using Stamen.Workload;

namespace Stamen.Scenarios;

/// <summary>
/// Checks a scenario against the catalogs and its topology, then makes each Monte Carlo run
/// concrete: which nodes servers and clients sit on, the delays between them, and the requests.
/// All I/O (catalog files, topology, trace) happens once in <see cref="Create"/>.
/// </summary>
public sealed class ScenarioResolver
{
    private readonly ScenarioDefinition _def;
    private readonly IReadOnlyList<GeneratedServer> _generatedKinds;
    private readonly IReadOnlyList<SwarmRequest>? _fixedRequests;
    private readonly bool _withoutFixedDelays;
    private readonly IReadOnlyList<string>? _nodeNames;

    private ScenarioResolver(ScenarioDefinition def, ModelSpec model, GpuCatalog gpus, Topology? topology,
        IReadOnlyList<ResolvedAlgorithm> algorithms, IReadOnlyList<GeneratedServer> generated, IReadOnlyList<SwarmRequest>? fixedRequests,
        bool withoutFixedDelays)
    {
        _withoutFixedDelays = withoutFixedDelays;
        _def = def;
        Model = model;
        Gpus = gpus;
        Topology = topology;
        Algorithms = algorithms;
        _generatedKinds = generated;
        _fixedRequests = fixedRequests;
        _nodeNames = topology?.Nodes.Select(n => n.Name).ToList();
    }

    public ScenarioDefinition Definition => _def;
    public ModelSpec Model { get; }
    public GpuCatalog Gpus { get; }
    public Topology? Topology { get; }
    public IReadOnlyList<ResolvedAlgorithm> Algorithms { get; }
    public int ServerCount => _def.Servers.Explicit.Count + _generatedKinds.Count;

    /// <param name="definition">The parsed scenario.</param>
    /// <param name="withoutFixedDelays">Zero the fixed per-request delays (session start, allocation).</param>
    public static ScenarioResolver Create(ScenarioDefinition definition, bool withoutFixedDelays = false)
    {
        ArgumentNullException.ThrowIfNull(definition);
        withoutFixedDelays |= definition.Delays.Off;
        var file = definition.SourceFile;
        var models = definition.ModelsFile is null ? ModelCatalog.BuiltIn : ModelCatalog.BuiltIn.WithFile(definition.ModelsFile);
        var gpus = definition.GpusFile is null ? GpuCatalog.BuiltIn : GpuCatalog.BuiltIn.WithFile(definition.GpusFile);
        var model = definition.Model.ConfigPath is { } config
            ? HuggingFaceConfigImporter.Import(config, definition.Model.ImportedName, definition.Model.DType).Model
            : models.TryFind(definition.Model.CatalogName!, out var found)
                ? found
                : throw new StamenInputException(file, "model", $"unknown model '{definition.Model.CatalogName}'",
                    $"use one of {string.Join(", ", models.Names)}, or import one with model: {{config: path/to/config.json}}");

        var topology = LoadTopology(definition.Network);
        var generated = GenerateKinds(definition, topology);
        foreach (var g in generated.Select(g => g.Gpu).Distinct())
            RequireGpu(gpus, g, file, "servers.gpus");
        for (var i = 0; i < definition.Servers.Explicit.Count; i++)
            CheckExplicitServer(definition, i, gpus, topology);
        CheckClients(definition, topology);

        var problems = new List<InputProblem>();
        var serverNames = definition.Servers.Explicit.Select(x => x.Name).Concat(generated.Select(g => g.Name)).ToHashSet(StringComparer.Ordinal);
        var algorithms = new List<ResolvedAlgorithm>();
        foreach (var choice in definition.Algorithms)
            if (ResolveAlgorithm(choice, definition, withoutFixedDelays, problems) is { } resolved)
            {
                CheckServerNames(resolved.Parts.Placement, choice, serverNames, problems);
                algorithms.Add(resolved);
            }
        if (problems.Count > 0)
            throw StamenInputException.Many(file, [.. problems.Select(p => (p.Field, p.Problem, p.Fix))]);
        foreach (var name in definition.Delays.AllocationMs.Keys)
            if (!algorithms.Any(a => a.Name == name))
                throw new StamenInputException(file, $"delays.allocation_ms.{name}", $"'{name}' is not an algorithm of this scenario",
                    $"use one of {string.Join(", ", algorithms.Select(a => a.Name))}");
        var fixedRequests = definition.Workload switch
        {
            TraceWorkloadDefinition t => TraceWorkloadLoader.Load(t.Path, definition.Clients.Select(c => c.Name).ToList(), t.Limit, t.TimeScale),
            ExplicitWorkloadDefinition e => ExplicitRequests(e, definition),
            _ => null,
        };
        if (fixedRequests is { Count: 0 })
            throw new StamenInputException(file, "workload", "the workload has no requests", "check the trace file or the arrivals list");
        var resolver = new ScenarioResolver(definition, model, gpus, topology, algorithms, generated, fixedRequests, withoutFixedDelays);
        resolver.CheckModelFits();
        return resolver;
    }

    /// <summary>
    /// The scenario's algorithm called <paramref name="name"/>, or else the catalog algorithm of that
    /// name with the scenario's fixed delays.
    /// </summary>
    public ResolvedAlgorithm FindAlgorithm(string name)
    {
        if (Algorithms.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) is { } found) return found;
        var problems = new List<InputProblem>();
        return ResolveAlgorithm(AlgorithmChoice.Named(name) with { Field = "algorithm" }, _def, _withoutFixedDelays, problems)
            ?? throw StamenInputException.Many(_def.SourceFile, [.. problems.Select(p => (p.Field, p.Problem, p.Fix))]);
    }

    /// <summary>Makes run <paramref name="run"/> concrete; its seed derives from the scenario seed.</summary>
    public ResolvedRun Resolve(int run, int? baseSeed = null)
    {
        var seed = SeedStreams.Derive(baseSeed ?? _def.Seed, run);
        var serverNodes = SeedStreams.Create(seed, SeedStreams.ServerNodes);
        var clientNodes = SeedStreams.Create(seed, SeedStreams.ClientNodes);

        var servers = new List<ServerSpec>();
        var perServerMeasured = new List<ServerDefinition?>();
        foreach (var s in _def.Servers.Explicit)
        {
            servers.Add(BuildServer(s.Name, s.Gpu, s.Node is null ? -1 : Topology!.IndexOf(s.Node), s));
            perServerMeasured.Add(s);
        }
        var nodes = ChooseNodes(_generatedKinds.Count, serverNodes);
        for (var i = 0; i < _generatedKinds.Count; i++)
        {
            servers.Add(BuildServer(_generatedKinds[i].Name, _generatedKinds[i].Gpu, nodes[i], null));
            perServerMeasured.Add(null);
        }

        var clients = _def.Clients.Select(c => new ClientSpec(c.Name,
            c.Node is not null ? Topology?.IndexOf(c.Node) ?? -1
            : Topology is null ? -1 : clientNodes.Next(Topology.Count))).ToList();

        var swarm = new SwarmSpec(Model, servers, clients, BuildDelays(servers, perServerMeasured, clients)) { ServersListed = _generatedKinds.Count == 0 };
        var requests = _fixedRequests ?? GeneratePoisson((PoissonWorkloadDefinition)_def.Workload, seed);
        var (rate, source) = PlanningRate(requests);
        return new ResolvedRun(run, seed, swarm, requests, TypicalShape(requests), rate, _nodeNames) { RateSource = source };
    }

    private List<SwarmRequest> GeneratePoisson(PoissonWorkloadDefinition p, int runSeed) =>
        new PoissonWorkload(p.RatePerSec, p.Requests, p.PromptTokens, p.OutputTokens, _def.Clients.Select(c => c.Weight).ToList())
            .Generate(SeedStreams.Derive(runSeed, SeedStreams.Workload));

    private RequestShape TypicalShape(IReadOnlyList<SwarmRequest> requests)
    {
        if (_def.Workload is PoissonWorkloadDefinition p)
            return new RequestShape((int)Math.Ceiling(p.PromptTokens.Mean), (int)Math.Ceiling(p.OutputTokens.Mean));
        return new RequestShape((int)Math.Ceiling(requests.Average(r => r.Shape.PromptTokens)), (int)Math.Ceiling(requests.Average(r => r.Shape.OutputTokens)));
    }

    /// <summary>
    /// The rate planners size R from: workload.planning_rate_per_s when given, else a Poisson
    /// workload's rate, else the arrivals' own rate (n - 1) / (last - first arrival).
    /// </summary>
    private (double Rate, string Source) PlanningRate(IReadOnlyList<SwarmRequest> requests)
    {
        if (_def.PlanningRatePerSec is { } given) return (given, "given");
        if (_def.Workload is PoissonWorkloadDefinition p) return (p.RatePerSec, "poisson rate");
        if (requests.Count < 2) return (0, "estimated from the arrivals");
        var spanS = (requests[^1].ArrivalMs - requests[0].ArrivalMs) / 1000.0;
        return (spanS <= 0 ? requests.Count : (requests.Count - 1) / spanS, "estimated from the arrivals");
    }

    private ServerSpec BuildServer(string name, string gpuName, int node, ServerDefinition? s)
    {
        var gpu = Gpus.Find(gpuName);
        var baseTimes = new BlockTimeModel().Resolve(gpu, Model);
        var times = new BlockTimes(
            s?.DecodeMsPerBlock ?? baseTimes.DecodeMsPerBlock,
            s?.PrefillMsPerToken ?? baseTimes.PrefillMsPerToken,
            s?.PrefillFixedMs ?? baseTimes.PrefillFixedMs);
        var maxBlocks = Math.Min(s?.MaxBlocks ?? gpu.MaxBlocks ?? Model.NumBlocks, Model.NumBlocks);
        var measured = gpu.PetalsRatesFor(Model.Name);
        return new ServerSpec(name, gpu.Name, node, s?.MemoryGb * 1e9 ?? gpu.MemoryBytes, times, maxBlocks)
        {
            Rates = new PetalsRates(s?.ForwardRps ?? measured?.ForwardRps, s?.NetworkRps ?? measured?.NetworkRps),
        };
    }

    private SwarmDelays BuildDelays(List<ServerSpec> servers, List<ServerDefinition?> measured, List<ClientSpec> clients)
    {
        var net = _def.Network;
        int n = servers.Count, m = clients.Count;
        var perToken = new double[m, n];
        var firstBase = new double[m, n];
        var firstPerPrompt = new double[m, n];
        var propagation = new double[m, n];
        for (var c = 0; c < m; c++)
            for (var j = 0; j < n; j++)
            {
                var meas = measured[j];
                double? prop = clients[c].NodeIndex >= 0 && servers[j].NodeIndex >= 0 ? Topology!.RttMs(clients[c].NodeIndex, servers[j].NodeIndex) : null;
                double? rtt = meas is not null && meas.RttMs.TryGetValue(clients[c].Name, out var r) ? r : null;
                double? first = meas is not null && meas.FirstTokenRttMs.TryGetValue(clients[c].Name, out var f) ? f : null;
                // CheckExplicitServer guarantees a measured RTT wherever the topology cannot give one.
                perToken[c, j] = rtt ?? prop!.Value + net.PerTokenOverheadMs;
                propagation[c, j] = prop ?? rtt!.Value;
                if (first is not null || rtt is not null)
                {
                    // Measured figures replace the model's: a measured first-token RTT already includes the
                    // prompt's transfer, and without one it is taken equal to the measured per-token RTT.
                    firstBase[c, j] = first ?? rtt!.Value;
                    firstPerPrompt[c, j] = 0;
                }
                else
                {
                    firstBase[c, j] = prop!.Value + net.FirstTokenOverheadMs;
                    firstPerPrompt[c, j] = net.FirstTokenMsPerPromptToken;
                }
            }
        var serverRtt = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                serverRtt[i, j] = i == j ? 0
                    : servers[i].NodeIndex >= 0 && servers[j].NodeIndex >= 0 ? Topology!.RttMs(servers[i].NodeIndex, servers[j].NodeIndex)
                    : SwarmDelays.UnknownServerRttMs;
        for (var i = 0; i < n; i++)
            if (measured[i] is { } meas)
                foreach (var (other, rtt) in meas.ServerRttMs)
                {
                    var j = servers.FindIndex(s => s.Name == other);
                    serverRtt[i, j] = serverRtt[j, i] = rtt;
                }
        return new SwarmDelays(perToken, firstBase, firstPerPrompt, serverRtt, propagation);
    }

    private int[] ChooseNodes(int count, Random random)
    {
        var nodes = new int[count];
        if (count == 0) return nodes;
        if (_def.Servers.Nodes.Count > 0)
        {
            for (var i = 0; i < count; i++) nodes[i] = Topology!.IndexOf(_def.Servers.Nodes[i % _def.Servers.Nodes.Count]);
            return nodes;
        }
        // Distinct random nodes while they last (a fresh shuffle for each further round).
        var order = Enumerable.Range(0, Topology!.Count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var k = i % order.Length;
            if (k == 0) random.Shuffle(order);
            nodes[i] = order[k];
        }
        return nodes;
    }

    /// <summary>The model fits only if the servers together can hold every block at least once.</summary>
    private void CheckModelFits()
    {
        var run = Resolve(0);
        var capacity = 0L;
        foreach (var s in run.Swarm.Servers)
            capacity += Math.Min(s.MaxBlocks, (long)Math.Floor(s.MemoryBytes / Model.BlockBytes));
        if (capacity < Model.NumBlocks)
            throw new StamenInputException(_def.SourceFile, "servers",
                string.Create(CultureInfo.InvariantCulture, $"model '{Model.Name}' needs {Model.NumBlocks} blocks of {Model.BlockBytes / 1e9:0.###} GB, but the servers can hold at most {capacity} blocks even with no room for caches"),
                "add servers or memory, or choose a smaller model or a lower-precision dtype");
    }

    private static Topology? LoadTopology(NetworkDefinition n) => n.Kind switch
    {
        NetworkKind.Explicit => null,
        NetworkKind.Repetita => new RepetitaTopologyLoader().Load(n.Path!),
        NetworkKind.GraphMl => new GraphMlTopologyLoader(n.FibreRouteFactor is { } f ? FibreModel.Default with { RouteFactor = f } : null).Load(n.Path!),
        NetworkKind.RttCsv => new RttMatrixCsvLoader().Load(n.Path!),
        NetworkKind.Clustered => ClusteredTopology.Build(
            n.Clusters.Select(c => new ClusterSpec(c.Name, c.Nodes)).ToList(),
            new ClusteredTopologyOptions(n.IntraClusterRttMs, n.IntraClusterBandwidthBitsPerSec / 8, n.InterClusterRttMs, n.InterClusterBandwidthBitsPerSec / 8)),
        NetworkKind.Synthetic => SyntheticTopologyGenerator.Generate(n.SyntheticNodes, n.SyntheticSeed,
            n.FibreRouteFactor is { } f2 ? SyntheticTopologyOptions.Default with { Fibre = FibreModel.Default with { RouteFactor = f2 } } : null),
        _ => throw new ArgumentOutOfRangeException(nameof(n)),
    };

    private sealed record GeneratedServer(string Name, string Gpu);

    /// <summary>GPU kinds of generated servers: exact counts, or fractions of C by largest remainder.</summary>
    private static List<GeneratedServer> GenerateKinds(ScenarioDefinition def, Topology? topology)
    {
        var s = def.Servers;
        if (s.GpuMix.Count == 0) return [];
        if (topology is null)
            throw new StamenInputException(def.SourceFile, "servers.gpus", "generated servers need a network to be placed on",
                "add a `network:` (synthetic, repetita, graphml, rtt_csv or clustered), or list servers with measured RTTs");
        var counts = new int[s.GpuMix.Count];
        if (s.GpuMix[0].Count is not null)
            for (var i = 0; i < counts.Length; i++) counts[i] = s.GpuMix[i].Count!.Value;
        else
        {
            var total = s.Count ?? (int)Math.Round(s.FractionOfNodes!.Value * topology.Count, MidpointRounding.AwayFromZero);
            if (total < 1)
                throw new StamenInputException(def.SourceFile, "servers.fraction_of_nodes", $"gives no servers on {topology.Count} nodes", "raise the fraction or give `count:`");
            var exact = s.GpuMix.Select(g => g.Fraction!.Value * total).ToArray();
            for (var i = 0; i < counts.Length; i++) counts[i] = (int)Math.Floor(exact[i]);
            foreach (var i in Enumerable.Range(0, counts.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(total - counts.Sum()))
                counts[i]++;
        }
        var result = new List<GeneratedServer>();
        for (var i = 0; i < counts.Length; i++)
            for (var k = 0; k < counts[i]; k++)
                result.Add(new GeneratedServer($"{s.GpuMix[i].Gpu}-{k}", s.GpuMix[i].Gpu));
        return result;
    }

    private static void RequireGpu(GpuCatalog gpus, string name, string file, string field)
    {
        if (!gpus.TryFind(name, out _))
            throw new StamenInputException(file, field, $"unknown GPU '{name}'", $"use one of {string.Join(", ", gpus.Names)}, or add it with gpus_file:");
    }

    private static void CheckExplicitServer(ScenarioDefinition def, int i, GpuCatalog gpus, Topology? topology)
    {
        var s = def.Servers.Explicit[i];
        var path = $"servers.list[{i}]";
        RequireGpu(gpus, s.Gpu, def.SourceFile, $"{path}.gpu");
        if (s.Node is not null)
        {
            if (topology is null)
                throw new StamenInputException(def.SourceFile, $"{path}.node", "a node is named but the scenario has no network", "add a `network:` or remove `node:` and give rtt_ms per client");
            if (!topology.Nodes.Any(n => n.Name == s.Node))
                throw new StamenInputException(def.SourceFile, $"{path}.node", $"unknown node '{s.Node}' in topology {topology.Name}", $"use a node of the topology, e.g. {topology.Nodes[0].Name}");
        }
        var clientNames = def.Clients.Select(c => c.Name).ToHashSet();
        foreach (var key in s.RttMs.Keys.Concat(s.FirstTokenRttMs.Keys))
            if (!clientNames.Contains(key))
                throw new StamenInputException(def.SourceFile, $"{path}.rtt_ms", $"unknown client '{key}'", $"use a client name: {string.Join(", ", clientNames)}");
        var serverNames = def.Servers.Explicit.Select(x => x.Name).ToHashSet();
        foreach (var key in s.ServerRttMs.Keys)
            if (!serverNames.Contains(key) || key == s.Name)
                throw new StamenInputException(def.SourceFile, $"{path}.server_rtt_ms", $"'{key}' is not another listed server", $"use names of other listed servers: {string.Join(", ", serverNames.Where(x => x != s.Name))}");
        if (s.Node is null)
            foreach (var c in def.Clients)
                if (!s.RttMs.ContainsKey(c.Name) && (c.Node is null || topology is null))
                    throw new StamenInputException(def.SourceFile, $"{path}.rtt_ms", $"no RTT to client '{c.Name}' and the server has no node to compute one",
                        $"give rtt_ms: {{{c.Name}: <ms>}} or place the server on a node");
    }

    private static void CheckClients(ScenarioDefinition def, Topology? topology)
    {
        for (var i = 0; i < def.Clients.Count; i++)
        {
            var c = def.Clients[i];
            if (c.Node is not null && topology is null)
                throw new StamenInputException(def.SourceFile, $"clients[{i}].node", "a node is named but the scenario has no network", "add a `network:` or remove `node:`");
            if (c.Node is not null && !topology!.Nodes.Any(n => n.Name == c.Node))
                throw new StamenInputException(def.SourceFile, $"clients[{i}].node", $"unknown node '{c.Node}' in topology {topology.Name}", $"use a node of the topology, e.g. {topology.Nodes[0].Name}, or `random`");
        }
    }

    private static List<SwarmRequest> ExplicitRequests(ExplicitWorkloadDefinition e, ScenarioDefinition def)
    {
        var names = def.Clients.Select(c => c.Name).ToList();
        return e.Arrivals.Select((a, i) =>
        {
            var client = a.Client is null ? i % names.Count : names.IndexOf(a.Client);
            if (client < 0)
                throw new StamenInputException(def.SourceFile, $"workload.arrivals[{i}].client", $"unknown client '{a.Client}'", $"use one of {string.Join(", ", names)}");
            return new SwarmRequest(i, a.AtSec * 1000, client, new RequestShape(a.PromptTokens, a.OutputTokens));
        }).ToList();
    }

    /// <summary>
    /// An algorithm of the scenario: a catalog algorithm, or parts composed over a base, each part's
    /// options validated against its catalog. Every problem goes to <paramref name="problems"/>
    /// (null is returned when there was one), so a file with several mistakes reports them all.
    /// </summary>
    private static ResolvedAlgorithm? ResolveAlgorithm(AlgorithmChoice choice, ScenarioDefinition def, bool withoutFixedDelays, List<InputProblem> problems)
    {
        var before = problems.Count;
        SwarmAlgorithm? baseAlg = null;
        if (choice.Base is not null)
        {
            baseAlg = SwarmAlgorithmCatalog.TryFind(choice.Base);
            if (baseAlg is null)
                problems.Add(new InputProblem(choice.Field, $"unknown algorithm '{choice.Base}'",
                    $"use one of {string.Join(", ", SwarmAlgorithmCatalog.Names)} (`stamen catalog algorithms`), or compose one with {{name, placement, routing, admission}}"));
        }
        var placement = Part(PlacementCatalog.Planners, "placement", choice.Placement, baseAlg?.Placement, choice, problems);
        var routing = Part(RouterCatalog.Routers, "routing", choice.Routing, baseAlg?.Routing, choice, problems);
        var admission = Part(AdmissionCatalog.Policies, "admission", choice.Admission, baseAlg?.Admission, choice, problems);
        var delays = baseAlg?.FixedDelays ?? FixedDelaySource.Scenario;
        if (choice.FixedDelays is { } text)
        {
            if (text is "scenario") delays = FixedDelaySource.Scenario;
            else if (text is "published") delays = FixedDelaySource.Published;
            else problems.Add(new InputProblem($"{choice.Field}.fixed_delays", $"'{text}' is not allowed",
                "use scenario (the scenario's delays: block) or published (70 ms initial and the published allocation delay, always)"));
        }
        if (problems.Count > before) return null;

        var parts = new SwarmAlgorithm(choice.Name, baseAlg?.Description ?? "composed in the scenario", placement!, routing!, admission!,
            baseAlg?.PublishedAllocationDelayMs ?? 0) { FixedDelays = delays };
        if (withoutFixedDelays) return new ResolvedAlgorithm(choice.Name, parts, 0, 0);
        var published = delays == FixedDelaySource.Published || def.Delays.UsePublished;
        var start = delays == FixedDelaySource.Published ? SwarmAlgorithmCatalog.PublishedSessionStartMs : def.Delays.SessionStartMs;
        var allocation = def.Delays.AllocationMs.TryGetValue(choice.Name, out var a) ? a
            : published ? parts.PublishedAllocationDelayMs : 0;
        return new ResolvedAlgorithm(choice.Name, parts, start, allocation);
    }

    /// <summary>One part: as written, else the base algorithm's; a part without a name varies the base's options.</summary>
    private static ComponentChoice? Part<T>(Catalog<T> catalog, string key, PartChoice? part, ComponentChoice? fromBase, AlgorithmChoice choice, List<InputProblem> problems)
    {
        if (part is null)
        {
            // An unknown base was reported already; its missing parts would only repeat it.
            if (fromBase is null && choice.Base is null)
                problems.Add(new InputProblem(choice.Field, $"no {key} is given", $"add `base:` or `{key}:` ({string.Join(", ", catalog.Names)})"));
            return fromBase;
        }
        var name = part.Name ?? fromBase?.Name;
        if (name is null)
        {
            problems.Add(new InputProblem(part.Field, $"the {key} has options but no name and there is no base algorithm", $"add name: ({string.Join(", ", catalog.Names)})"));
            return null;
        }
        var start = fromBase is not null && string.Equals(fromBase.Name, name, StringComparison.OrdinalIgnoreCase) ? fromBase.Options : null;
        return catalog.Choose(name, part.Field, part.Options, problems, start);
    }

    /// <summary>Option values that list server names (PETALS' join order) must name servers of this scenario, each once.</summary>
    private static void CheckServerNames(ComponentChoice placement, AlgorithmChoice choice, HashSet<string> servers, List<InputProblem> problems)
    {
        foreach (var spec in placement.Options.Specs.Where(s => s.Kind == OptionKind.ChoiceOrNames))
            if (placement.Options.Names(spec.Name) is { } names)
                foreach (var name in names.Where(n => !servers.Contains(n)))
                    problems.Add(new InputProblem(
                        choice.Placement?.Options.FirstOrDefault(o => o.Name == spec.Name)?.Field ?? $"{choice.Field}.placement.{spec.Name}",
                        $"'{name}' is not a server of this scenario",
                        $"use server names: {string.Join(", ", servers.Order(StringComparer.Ordinal).Take(12))}{(servers.Count > 12 ? ", ..." : "")}"));
    }
}
