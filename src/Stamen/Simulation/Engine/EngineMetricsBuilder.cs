using Stamen.Simulation.Metrics;

namespace Stamen.Simulation.Engine;

/// <summary>Turns a finished run's request states, instances and recordings into <see cref="EngineRunResult"/>.</summary>
internal static class EngineMetricsBuilder
{
    public static EngineRunResult Build(EnginePolicy policy, EngineDeployment deployment, IReadOnlyList<EngineRequestState> states,
        IReadOnlyList<EngineInstance> instances, EngineRecorder recorder)
    {
        var adapters = deployment.Lora?.Adapters ?? [];
        var records = new EngineRequestRecord[states.Count];
        var ttft = new List<double>();
        var e2e = new List<double>();
        long input = 0, output = 0;
        var completed = 0;
        var startMs = recorder.WindowStartMs;
        var endMs = startMs;
        var offeredByAdapter = new long[adapters.Count + 1];
        var requestsByAdapter = new int[adapters.Count + 1];
        var completedByAdapter = new int[adapters.Count + 1];
        var completedByInstance = new int[instances.Count];
        for (var i = 0; i < states.Count; i++)
        {
            var s = states[i];
            var r = s.Request;
            var outcome = s.Rejected ? EngineOutcome.Rejected : EngineOutcome.Completed;
            records[i] = new EngineRequestRecord(r.Id, r.ArrivalMs, s.FirstTokenMs, s.FinishMs, r.PromptTokens, r.OutputTokens,
                s.Generated, s.Preemptions, outcome, r.Adapter >= 0 ? adapters[r.Adapter].Name : null, s.Instance);
            offeredByAdapter[r.Adapter + 1] += (long)r.PromptTokens + r.OutputTokens;
            requestsByAdapter[r.Adapter + 1]++;
            if (s.Rejected) continue;
            completed++;
            completedByAdapter[r.Adapter + 1]++;
            completedByInstance[s.Instance]++;
            input += r.PromptTokens;
            output += r.OutputTokens;
            ttft.Add(s.FirstTokenMs - r.ArrivalMs);
            e2e.Add(s.FinishMs - r.ArrivalMs);
            endMs = Math.Max(endMs, s.FinishMs);
        }
        var makespanMs = endMs - startMs;
        var windowMs = recorder.WindowEndMs - recorder.WindowStartMs;
        double PerSec(long tokens) => makespanMs > 0 ? tokens * 1000.0 / makespanMs : 0.0;
        var capacityTokens = deployment.Config.KvCapacityTokens;
        double Average(double integral, long capacity) => makespanMs > 0 ? integral / (makespanMs * capacity) : 0.0;
        var starvation = StarvationSummary.Of(offeredByAdapter.Sum(), recorder.ServedByAdapter.Sum(), windowMs);
        var metrics = new EngineMetrics(
            makespanMs, completed, states.Count - completed, instances.Sum(x => x.Iterations),
            PerSec(output), PerSec(input), PerSec(input + output),
            Summarise(ttft), Summarise(recorder.ItlMs), Summarise(e2e),
            instances.Sum(x => x.Preemptions),
            Average(instances.Sum(x => x.HeldIntegral), capacityTokens * instances.Count),
            Average(instances.Sum(x => x.WasteIntegral), capacityTokens * instances.Count),
            starvation,
            instances.Sum(x => x.SwapOuts),
            instances.Sum(x => x.AdapterLoads),
            instances.Sum(x => x.RemoteAttentionMs));
        var accounting = new EngineAccounting(
            instances.Sum(x => x.AllocatedUnits), instances.Sum(x => x.FreedUnits), instances.Max(x => x.PeakUnitsInUse),
            policy.Memory == KvMemoryMode.PagedOnDemand ? deployment.Config.KvCapacityBlocks : capacityTokens,
            instances.Sum(x => x.PrefillComputed), instances.Sum(x => x.DecodeComputed));
        var perInstance = instances.Select(x => new EngineInstanceMetrics(x.Index, x.Routed, completedByInstance[x.Index], x.Iterations,
            x.Preemptions, x.AdapterLoads, Average(x.HeldIntegral, capacityTokens))).ToArray();
        var perAdapter = adapters.Select((a, k) => new EngineAdapterMetrics(a.Name, a.Rank, requestsByAdapter[k + 1], completedByAdapter[k + 1],
            StarvationSummary.Of(offeredByAdapter[k + 1], recorder.ServedByAdapter[k + 1], windowMs))).ToArray();
        return new EngineRunResult(policy.Name, metrics, records, accounting, perInstance, perAdapter, [.. recorder.KvTimeline],
            recorder.ItlMs.Quantiles(EngineRunResult.PercentileFractions));
    }

    private static LatencySummary Summarise(LogHistogram h) =>
        new(h.Mean, h.Quantile(0.5), h.Quantile(0.9), h.Quantile(0.99), (int)Math.Min(int.MaxValue, h.Count));

    private static LatencySummary Summarise(List<double> values)
    {
        if (values.Count == 0) return new LatencySummary(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted.Average(), Percentiles.OfSorted(sorted, 0.5), Percentiles.OfSorted(sorted, 0.9),
            Percentiles.OfSorted(sorted, 0.99), sorted.Length);
    }
}
