using System.Globalization;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Split;

namespace Stamen.Bench;

/// <summary>
/// SplitLLM's dynamic program on llama-2-70b (L = 80) with 1,000 latency steps (the default step, 1/1000 of the SLA):
/// a device that holds every layer (no client-layer dimension) and ones that hold 2 or 40 (the dimension is tracked).
/// Target: under 10 ms for L = 80 and 1,000 steps.
/// </summary>
public sealed class SplitCases(int repetitions, TextWriter log)
{
    public IEnumerable<BenchRow> Run()
    {
        var model = ModelCatalog.BuiltIn.Find("llama-2-70b");
        var gpu = GpuCatalog.BuiltIn.Find("a100-80gb");
        DeviceCatalog.BuiltIn.TryFind("laptop-gpu", out var device);
        var link = new LinkSpec(100e6, 300e6, 20);
        var problem = SplitCostModel.Build(model, gpu, device!, link, 512, double.PositiveInfinity);
        problem = problem with { SlaMs = new ServerOnlySplit().Plan(problem).LatencyMs * 6 };
        foreach (var (name, maxClient) in new[] { ("device holds all 80 layers", 80), ("device holds 40 layers", 40), ("device holds 2 layers", 2) })
        {
            var p = problem with { MaxClientLayers = maxClient };
            SplitPlan? plan = null;
            var t = Measure.Run(repetitions, () => plan = new SplitDynamicProgram().Plan(p));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  dp, L = 80, 1000 steps, {name,-28} median {t.MedianMs,8:F2} ms  ({plan!.Describe()})"));
            yield return new BenchRow("split", $"dp L=80, 1000 steps, {name}", "80 layers", t.MedianMs, t.MinMs, t.SamplesMs.Count,
                new Dictionary<string, double> { ["server_work_ms"] = plan.ServerWorkMs, ["client_layers"] = plan.ClientLayers },
                t.MedianMs < 10 ? "target < 10 ms: met" : "target < 10 ms: NOT met");
        }
    }
}
