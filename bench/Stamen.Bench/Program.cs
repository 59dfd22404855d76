using System.Globalization;
using System.Text.Json;
using Stamen.Bench;

// Stamen's benchmark harness: planner/routing time at scale and twin speed.
// Usage: dotnet run -c Release --project bench/Stamen.Bench -- [--json PATH] [--quick] [--only planner|twin|helix|engine|adapters|split|tradeoff|milp|chains|learning|runtime]
//        [--rebalance-cap-s S] (cap on each PETALS rebalancing run, default 60 s; 10 s with --quick)
//        [--petals-fingerprints] (print PETALS plans on seeded instances, to diff before/after a planner change)
//        [--milp-solvers cp-sat,scip,ortools-cbc,cbc] (solvers of the block-formulation MILP grid; default all four)
string? jsonPath = null;
string[] milpSolvers = ["cp-sat", "scip", "ortools-cbc", "cbc"];
var quick = false;
string? only = null;
double? rebalanceCapS = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--json" when i + 1 < args.Length: jsonPath = args[++i]; break;
        case "--quick": quick = true; break;
        case "--only" when i + 1 < args.Length: only = args[++i]; break;
        case "--rebalance-cap-s" when i + 1 < args.Length: rebalanceCapS = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--petals-fingerprints": PlanFingerprints.Print(Console.Out); return 0;
        case "--milp-solvers" when i + 1 < args.Length: milpSolvers = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
        default:
            Console.Error.WriteLine("usage: Stamen.Bench [--json PATH] [--quick] [--only planner|twin|helix|engine|adapters|split|tradeoff|milp|chains|learning|runtime] [--rebalance-cap-s S] [--petals-fingerprints] [--milp-solvers LIST]");
            return 2;
    }
}

var log = Console.Out;
var rows = new List<BenchRow>();
var started = DateTime.UtcNow;
var clock = System.Diagnostics.Stopwatch.StartNew();
log.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Stamen.Bench {(quick ? "(quick)" : "")} on {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {started:yyyy-MM-dd HH:mm} UTC"));

// Rates chosen on this swarm: 1 request/s keeps it busy and stable (WS-RR waits stay short),
// 4 requests/s is beyond what 20 A100 + 80 MIG can serve at 128 tokens per request.
const double StableRate = 1.0;
const double OverloadRate = 10.0;

if (only is null or "twin")
{
    log.WriteLine("twin:");
    var twin = new TwinCases(quick ? 1 : 3, quick ? 2_000 : 10_000, log);
    rows.AddRange(twin.Run(StableRate, "stable"));
    rows.AddRange(twin.Run(OverloadRate, "overloaded"));
}

if (only is null or "helix")
{
    log.WriteLine("helix (flow-search placement, batching cluster twin):");
    rows.AddRange(new HelixCases(quick ? 1 : 3, log).Run());
}

if (only is null or "engine")
{
    log.WriteLine("engine twin (llama-3.1-8b on h100-sxm, Azure conversation trace):");
    rows.AddRange(new EngineCases(quick ? 1 : 5, log).Run());
}

if (only is null or "tradeoff")
{
    log.WriteLine("tradeoff routing (NSGA-II, llama-2-70b, CG-BP placement):");
    var tradeoff = new TradeoffCases(quick ? 3 : 5, decisions: quick ? 20 : 100, log);
    rows.AddRange(tradeoff.Run(100));
}

if (only is null or "chains")
{
    log.WriteLine("chain composition (GBP-CR + GCA, llama-2-70b, 4 clients):");
    var chains = new ChainCases(quick ? 1 : 5, log);
    int[] sizes = quick ? [100, 1_000] : [100, 1_000, 10_000];
    foreach (var n in sizes) rows.Add(chains.Run(n));
    foreach (var rate in new[] { 10.0, 100.0 }) rows.Add(chains.Run(1_000, rate));
}

if (only is null or "milp")
{
    // One request group of 4 sessions (1 client), or 2 + 2 (2 clients); one thread, a time limit per solve.
    log.WriteLine("exact MILP (bloom-176b cut to L blocks, A100 / MIG servers):");
    var milp = new MilpCases(timeLimitSeconds: quick ? 5 : 30, log);
    int[] servers = quick ? [4, 8] : [4, 8, 12, 16, 20];
    int[] seventy = [70];
    foreach (var solver in milpSolvers)
        foreach (var clients in (int[])[1, 2])
            rows.AddRange(milp.Run(clients, servers, seventy, "block", solver));
    // The link-level formulation (continuous products: not for CP-SAT) with Debian's CBC, as before.
    foreach (var clients in (int[])[1, 2])
        rows.AddRange(milp.Run(clients, quick ? [2, 3] : [2, 3, 4, 6, 8], quick ? [6, 12] : [6, 12, 24, 70], "link", "cbc"));
}

if (only is null or "adapters")
{
    log.WriteLine("adapter placement (llama-3.1-8b on h100-sxm, multi-LoRA twin):");
    rows.AddRange(new AdapterCases(quick ? 3 : 7, quick ? 200 : 1000, log).Run());
}

if (only is null or "split")
{
    log.WriteLine("split inference (SplitLLM dynamic program):");
    rows.AddRange(new SplitCases(quick ? 5 : 21, log).Run());
}

if (only is null or "learning")
{
    log.WriteLine("learning (CART tree and random forest, synthetic 7-feature regression):");
    rows.AddRange(new LearningCases(quick ? 1 : 3, trainRows: 3000, predictions: quick ? 10_000 : 100_000, log).Run());
}

if (only is null or "runtime")
{
    log.WriteLine("runtime (CPU Llama block, small-100m, vectorised vs naive scalar):");
    rows.AddRange(new RuntimeCases(quick ? 5 : 30, log).Run());
    log.WriteLine("runtime swarm (small-100m through three block servers on loopback):");
    rows.AddRange(new SwarmChainCases(quick ? 1 : 3, log).Run());
}

if (only is null or "planner")
{
    log.WriteLine("planner (llama-2-70b, 4 clients):");
    var planner = new PlannerCases(quick ? 1 : 5, clients: 4, log);
    int[] sizes = quick ? [100, 1_000] : [100, 1_000, 10_000];
    foreach (var n in sizes) rows.AddRange(planner.Run(n));
    // Rebalancing grows faster than quadratically; the largest size runs last because an
    // abandoned run keeps a core busy until the process exits.
    int[] rebalanceSizes = quick ? [100, 1_000] : [100, 1_000, 10_000];
    foreach (var n in rebalanceSizes)
        rows.Add(planner.RunPetalsRebalance(n, capMs: 1000 * (rebalanceCapS ?? (quick ? 10 : 60))));
}

log.WriteLine();
log.WriteLine(Table.Render(rows));
log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total wall time {clock.Elapsed.TotalSeconds:F1} s"));

if (jsonPath is not null)
{
    var json = JsonSerializer.Serialize(new { started, quick, cores = Environment.ProcessorCount, rows },
        new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    File.WriteAllText(jsonPath, json);
    log.WriteLine($"wrote {jsonPath}");
}
return 0;
