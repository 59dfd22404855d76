using MathNet.Numerics.Distributions;

namespace Stamen.Simulation.Metrics;

/// <summary>Mean of a figure over Monte Carlo runs with the half-width of its 95% confidence interval.</summary>
public readonly record struct MeanWithCi(double Mean, double HalfWidth95, int Runs);

/// <summary>
/// Per metric, the mean over runs and a 95% Student-t confidence half-width,
/// t_{0.975, n-1} * s / sqrt(n) with s the sample standard deviation (n - 1 denominator);
/// 0 for a single run, where no spread can be estimated.
/// </summary>
public sealed record MonteCarloSummary(IReadOnlyList<KeyValuePair<string, MeanWithCi>> Metrics)
{
    public static MonteCarloSummary From(IReadOnlyList<SwarmMetrics> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("Summarise at least one run.", nameof(runs));
        var names = runs[0].Named();
        var metrics = new List<KeyValuePair<string, MeanWithCi>>(names.Count);
        for (var k = 0; k < names.Count; k++)
        {
            var values = new double[runs.Count];
            for (var r = 0; r < runs.Count; r++) values[r] = runs[r].Named()[k].Value;
            metrics.Add(new(names[k].Key, Summarize(values)));
        }
        return new MonteCarloSummary(metrics);
    }

    public MeanWithCi this[string metric]
    {
        get
        {
            foreach (var m in Metrics)
                if (m.Key == metric) return m.Value;
            throw new KeyNotFoundException($"No metric named '{metric}'.");
        }
    }

    public static MeanWithCi Summarize(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        if (n == 0) throw new ArgumentException("Summarise at least one value.", nameof(values));
        var mean = 0.0;
        foreach (var v in values) mean += v;
        mean /= n;
        if (n == 1) return new MeanWithCi(mean, 0, 1);
        var squares = 0.0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        var sd = Math.Sqrt(squares / (n - 1));
        var t = StudentT.InvCDF(0, 1, n - 1, 0.975);
        return new MeanWithCi(mean, t * sd / Math.Sqrt(n), n);
    }
}
