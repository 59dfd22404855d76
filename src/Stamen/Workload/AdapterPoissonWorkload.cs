namespace Stamen.Workload;

/// <summary>A generated request for a LoRA adapter (index into the scenario's adapter list).</summary>
public sealed record AdapterRequest(int Id, double ArrivalMs, int Adapter, RequestShape Shape);

/// <summary>
/// Independent Poisson arrivals per adapter for <see cref="DurationSec"/>, as the multi-LoRA twin generates
/// its load: adapter k arrives at <c>RatesPerSec[k]</c>, lengths drawn independently. Each adapter has its
/// own random streams, keyed by its index or by <see cref="StreamKeys"/>, so adding an adapter does not move
/// the others' arrivals, and with keys an adapter's arrivals are the same on whichever GPU it is placed.
/// </summary>
public sealed record AdapterPoissonWorkload(
    IReadOnlyList<double> RatesPerSec,
    double DurationSec,
    TokenCountDistribution PromptTokens,
    TokenCountDistribution OutputTokens,
    IReadOnlyList<int>? StreamKeys = null)
{
    /// <summary>A stream key from an adapter's name that does not change between runs or processes (FNV-1a).</summary>
    public static int KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash & int.MaxValue);
    }

    /// <summary>Every adapter's arrivals merged in time order (ties by adapter index); ids follow that order.</summary>
    public List<AdapterRequest> Generate(int seed)
    {
        var arrivalSeed = Simulation.SeedStreams.Derive(seed, 1);
        var lengthSeed = Simulation.SeedStreams.Derive(seed, 2);
        var all = new List<(double At, int Adapter, RequestShape Shape)>();
        for (var k = 0; k < RatesPerSec.Count; k++)
        {
            var rate = RatesPerSec[k];
            if (!(rate > 0)) continue;
            var key = StreamKeys?[k] ?? k;
            var arrivals = new Random(Simulation.SeedStreams.Derive(arrivalSeed, key));
            var lengths = new Random(Simulation.SeedStreams.Derive(lengthSeed, key));
            var nowMs = 0.0;
            while (true)
            {
                nowMs += -Math.Log(1 - arrivals.NextDouble()) / rate * 1000.0;
                if (nowMs > DurationSec * 1000.0) break;
                all.Add((nowMs, k, new RequestShape(PromptTokens.Sample(lengths), OutputTokens.Sample(lengths))));
            }
        }
        all.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Adapter.CompareTo(b.Adapter));
        return [.. all.Select((x, i) => new AdapterRequest(i, x.At, x.Adapter, x.Shape))];
    }

    /// <summary>The same rate for each of <paramref name="adapters"/> adapters.</summary>
    public static double[] UniformRates(int adapters, double ratePerSec) => Enumerable.Repeat(ratePerSec, adapters).ToArray();

    /// <summary>Zipf-distributed rates summing to <paramref name="totalPerSec"/>: adapter k (from 0) gets a share proportional to 1 / (k + 1)^s.</summary>
    public static double[] ZipfRates(int adapters, double totalPerSec, double exponent)
    {
        var weights = Enumerable.Range(1, adapters).Select(k => Math.Pow(k, -exponent)).ToArray();
        var sum = weights.Sum();
        return [.. weights.Select(w => totalPerSec * w / sum)];
    }
}
