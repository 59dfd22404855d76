using System.Globalization;
using Stamen.Optimization.Milp;
using Stamen.Optimization.SwarmMilp;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Solve time of the exact joint placement-and-routing MILP (a formulation and a solver by name, one
/// thread) against instance size: servers x blocks on <see cref="BenchSwarms.MilpSwarm"/>,
/// 4 concurrent sessions of the typical request (20, 128), either one client with one group of 4 or
/// two clients with a group of 2 each. One solve per cell (CBC's time is what is measured; a
/// warm-up would only repeat the same search). A row stops growing L once a cell reaches the time
/// limit, and larger server counts are skipped once even the smallest L did.
/// </summary>
public sealed class MilpCases(double timeLimitSeconds, TextWriter log)
{
    private const int Sessions = 4;
    private static readonly RequestShape Typical = new(20, 128);

    public IEnumerable<BenchRow> Run(int clients, IReadOnlyList<int> serverCounts, IReadOnlyList<int> blockCounts, string formulationName = "link", string solverName = "cbc")
    {
        var options = new MilpOptions { TimeLimitSeconds = timeLimitSeconds, Seed = 1 };
        var solver = MilpSolverCatalog.Create(solverName);
        ISwarmMilpFormulation formulation = formulationName == "block" ? new BlockSwarmFormulation(solver) : new LinkSwarmFormulation(solver);
        foreach (var servers in serverCounts)
        {
            var hitLimitAtFirst = false;
            foreach (var blocks in blockCounts)
            {
                var probe = BenchSwarms.MilpSwarm(servers, blocks, clients, Sessions, 0, seed: 1);
                var sc = probe.Model.SessionCacheBytesPerBlock(Typical.PromptTokens, Typical.OutputTokens);
                var swarm = BenchSwarms.MilpSwarm(servers, blocks, clients, Sessions, sc, seed: servers * 100 + blocks);
                var groups = Enumerable.Range(0, clients).Select(c => new RequestGroup(c, Sessions / clients, 1)).ToList();
                var solution = formulation.Solve(new SwarmMilpInstance(swarm, sc, groups), options);
                // Only a stopped search ends without a verdict (CBC's limit is CPU seconds, so wall time can run past it).
                var hitLimit = solution.Status is MilpStatus.Feasible or MilpStatus.NoSolutionFound;
                yield return Row(servers, blocks, clients, solution, hitLimit, $"{formulationName}/{solverName}");
                if (hitLimit)
                {
                    hitLimitAtFirst = blocks == blockCounts[0];
                    break;
                }
            }
            if (hitLimitAtFirst) break;
        }
    }

    private BenchRow Row(int servers, int blocks, int clients, SwarmMilpSolution s, bool hitLimit, string how)
    {
        var status = s.Status switch
        {
            MilpStatus.Optimal => "optimal",
            MilpStatus.Feasible => "feasible",
            MilpStatus.NoSolutionFound => "none",
            _ => s.Status.ToString().ToLowerInvariant(),
        };
        var size = string.Create(CultureInfo.InvariantCulture, $"{servers} servers, L = {blocks}, {clients} client{(clients > 1 ? "s" : "")}");
        var gapValue = Math.Abs(s.Gap) < 1e-9 ? 0 : s.Gap;
        var gap = double.IsFinite(gapValue) ? gapValue.ToString("P1", CultureInfo.InvariantCulture) : "-";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  MILP {how,-18} {size,-32} {status,-9} {s.SolveTimeMs,10:F0} ms  vars {s.Variables,6}  cons {s.Constraints,6}  gap {gap}"));
        var figures = new Dictionary<string, double> { ["variables"] = s.Variables, ["constraints"] = s.Constraints, ["gap"] = gapValue };
        var note = status + (hitLimit ? ", time limit reached" : "");
        return new BenchRow("milp", $"MILP solve ({how}, 1 thread)", size, s.SolveTimeMs, s.SolveTimeMs, 1, figures, note);
    }
}
