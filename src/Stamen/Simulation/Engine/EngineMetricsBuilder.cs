using Stamen.Simulation.Metrics;

namespace Stamen.Simulation.Engine;

/// <summary>Turns the loop's final request states and integrals into <see cref="EngineRunResult"/>.</summary>
internal static class EngineMetricsBuilder
{
    public static EngineRunResult Build(string policyName, IReadOnlyList<EngineRequestState> states, List<double> itlMs,
        double startMs, int preemptions, long iterations, double heldIntegral, double wasteIntegral, long capacityTokens, EngineAccounting accounting)
    {
        var records = new EngineRequestRecord[states.Count];
        var ttft = new List<double>();
        var e2e = new List<double>();
        long input = 0, output = 0;
        var completed = 0;
        var endMs = startMs;
        for (var i = 0; i < states.Count; i++)
        {
            var s = states[i];
            var r = s.Request;
            var outcome = s.Rejected ? EngineOutcome.Rejected : EngineOutcome.Completed;
            records[i] = new EngineRequestRecord(r.Id, r.ArrivalMs, s.FirstTokenMs, s.FinishMs, r.PromptTokens, r.OutputTokens,
                s.Generated, s.Preemptions, outcome);
            if (s.Rejected) continue;
            completed++;
            input += r.PromptTokens;
            output += r.OutputTokens;
            ttft.Add(s.FirstTokenMs - r.ArrivalMs);
            e2e.Add(s.FinishMs - r.ArrivalMs);
            endMs = Math.Max(endMs, s.FinishMs);
        }
        var makespanMs = endMs - startMs;
        double PerSec(long tokens) => makespanMs > 0 ? tokens * 1000.0 / makespanMs : 0.0;
        double Average(double integral) => makespanMs > 0 ? integral / (makespanMs * capacityTokens) : 0.0;
        var metrics = new EngineMetrics(
            makespanMs, completed, states.Count - completed, iterations,
            PerSec(output), PerSec(input), PerSec(input + output),
            Summarise(ttft), Summarise(itlMs), Summarise(e2e),
            preemptions, Average(heldIntegral), Average(wasteIntegral));
        return new EngineRunResult(policyName, metrics, records, accounting);
    }

    private static LatencySummary Summarise(List<double> values)
    {
        if (values.Count == 0) return new LatencySummary(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted.Average(), Percentiles.OfSorted(sorted, 0.5), Percentiles.OfSorted(sorted, 0.9),
            Percentiles.OfSorted(sorted, 0.99), sorted.Length);
    }
}
