using Stamen.Adapters;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Simulation.Engine;
using Stamen.Workload;

namespace Stamen.Tests.Adapters;

/// <summary>Llama-3.1-8B on H100 twins and workloads for the adapter-placement tests.</summary>
internal static class AdapterFixtures
{
    public static GpuServingTwin Twin(double durationSec = 120, int seed = 1) =>
        new(ModelCatalog.BuiltIn.Find("llama-3.1-8b"), GpuCatalog.BuiltIn.Find("h100-sxm"), StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"),
            new UniformTokenCount(32, 1024), new UniformTokenCount(16, 512), durationSec, seed: seed);

    /// <summary><paramref name="count"/> adapters with ranks cycled over 8, 16, 32 and Zipf rates totalling <paramref name="totalRatePerSec"/>.</summary>
    public static AdapterDemand[] Zipf(int count, double totalRatePerSec)
    {
        var rates = AdapterPoissonWorkload.ZipfRates(count, totalRatePerSec, 1.0);
        int[] ranks = [8, 16, 32];
        return [.. Enumerable.Range(0, count).Select(k => new AdapterDemand($"a{k:D4}", ranks[k % 3], rates[k]))];
    }
}

/// <summary>A predictor that starves a GPU exactly when its adapters' total rate exceeds a capacity (fast, exact, for algorithm tests).</summary>
internal sealed class RateCapacityPredictor(double capacityRatePerSec) : IGpuLoadPredictor
{
    /// <summary>Mean prompt + output of <see cref="AdapterFixtures.Twin"/>'s lengths, so throughputs are in tokens/s like the twin's.</summary>
    private const double TokensPerRequest = 528 + 264;

    public int Calls { get; private set; }

    public string Name => "rate-capacity";

    public GpuLoadPrediction Predict(IReadOnlyList<AdapterDemand> adapters, int slots)
    {
        Calls++;
        var rate = adapters.Sum(a => a.RatePerSec);
        return new GpuLoadPrediction(Math.Min(rate, capacityRatePerSec) * TokensPerRequest - adapters.Count, rate > capacityRatePerSec);
    }
}
