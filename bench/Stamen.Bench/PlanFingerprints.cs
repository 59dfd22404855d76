using System.Globalization;
using System.Text;
using Stamen.Placement;
using Stamen.Workload;

namespace Stamen.Bench;

/// <summary>
/// Prints one line per PETALS plan (rebalancing on) on seeded random instances: starts of every
/// server and the plan figures. Comparing the output before and after a change to the PETALS
/// planner shows whether plans stayed identical.
/// </summary>
public static class PlanFingerprints
{
    public static void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var servers in new[] { 10, 30, 60, 120, 250, 400 })
            for (var seed = 0; seed < 6; seed++)
            {
                var swarm = seed % 2 == 0 ? BenchSwarms.PlannerSwarm(servers, 2, seed) : BenchSwarms.TwinSwarm(2, seed);
                var context = new PlanningContext(swarm, new RequestShape(20, 128), 1, 0, seed);
                // Eager balance qualities make rebalancing move servers, so moves are compared too.
                var quality = seed < 2 ? 0.75 : 1.0 + 0.05 * seed;
                var plan = new PetalsPlacementPlanner(PetalsPlacementOptions.Default with { BalanceQuality = quality }).Plan(context);
                var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{servers} {seed}:"));
                foreach (var span in plan.Placement.Spans) line.Append(CultureInfo.InvariantCulture, $" {span.Start}+{span.Count}");
                foreach (var (k, v) in plan.Figures.OrderBy(f => f.Key, StringComparer.Ordinal)) line.Append(CultureInfo.InvariantCulture, $" {k}={v:R}");
                output.WriteLine(line.ToString());
            }
    }
}
