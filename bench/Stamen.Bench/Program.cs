using System.Globalization;
using System.Text.Json;
using Stamen.Bench;

// Stamen's benchmark harness: planner/routing time at scale and twin speed.
// Usage: dotnet run -c Release --project bench/Stamen.Bench -- [--json PATH] [--quick] [--only planner|twin|tradeoff]
//        [--rebalance-cap-s S] (cap on each PETALS rebalancing run, default 60 s; 10 s with --quick)
//        [--petals-fingerprints] (print PETALS plans on seeded instances, to diff before/after a planner change)
string? jsonPath = null;
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
        default:
            Console.Error.WriteLine("usage: Stamen.Bench [--json PATH] [--quick] [--only planner|twin|tradeoff] [--rebalance-cap-s S] [--petals-fingerprints]");
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

if (only is null or "tradeoff")
{
    log.WriteLine("tradeoff routing (NSGA-II, llama-2-70b, CG-BP placement):");
    var tradeoff = new TradeoffCases(quick ? 3 : 5, decisions: quick ? 20 : 100, log);
    rows.AddRange(tradeoff.Run(100));
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
