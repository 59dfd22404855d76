namespace Stamen.Sweeps.Families;

/// <summary>
/// A scenario family a sweep can vary (swarm, engine, ...): how its scenario text is read and how one Monte Carlo run of
/// every algorithm of a cell is simulated.
/// </summary>
public interface ISweepFamily
{
    string Name { get; }

    /// <summary>The scenario field holding the algorithms (the sweep's <c>algorithms:</c> replaces it).</summary>
    string AlgorithmsField { get; }

    /// <summary>The scenario field holding the Monte Carlo runs, or null where the family has none (one run by default).</summary>
    string? RunsField { get; }

    /// <summary>Every metric a run can report, in column order (the sweep's <c>metrics:</c> chooses among them).</summary>
    IReadOnlyList<string> MetricNames { get; }

    /// <summary>Whether a results column is one of this family's metrics (a store may hold other double columns: an old axis).</summary>
    bool IsMetric(string column) => MetricNames.Contains(column);

    /// <summary>The metrics `stamen sweep report` shows when the sweep does not choose its own.</summary>
    IReadOnlyList<string> ReportMetrics { get; }

    /// <summary>The text of the built-in scenario named <paramref name="name"/>, or null.</summary>
    string? BuiltinText(string name);

    /// <summary>Reads one cell's scenario; a bad one throws <see cref="StamenInputException"/>.</summary>
    ISweepScenario Load(string text, string file, string baseDirectory);
}

/// <summary>One cell's scenario, read and ready to simulate; safe to run from several threads at once.</summary>
public interface ISweepScenario
{
    /// <summary>The scenario's own name.</summary>
    string Name { get; }

    /// <summary>The scenario's Monte Carlo runs (1 where the family has none).</summary>
    int Runs { get; }

    /// <summary>Algorithm names, in the scenario's order.</summary>
    IReadOnlyList<string> Algorithms { get; }

    /// <summary>The seed run <paramref name="run"/> draws from (reported beside its metrics).</summary>
    int RunSeed(int run);

    /// <summary>Run <paramref name="run"/> of every algorithm, in <see cref="Algorithms"/> order.</summary>
    IReadOnlyList<SweepRunMetrics> Run(int run, CancellationToken cancellation);
}

/// <summary>One algorithm's figures in one run.</summary>
/// <param name="Metrics">Simulated figures by name (deterministic given the seed).</param>
/// <param name="TimingsMs">Wall-clock figures by name, in milliseconds (differ between machines; kept apart).</param>
public sealed record SweepRunMetrics(string Algorithm, IReadOnlyList<KeyValuePair<string, double>> Metrics, IReadOnlyList<KeyValuePair<string, double>> TimingsMs)
{
    /// <summary>
    /// What a run found that is not a number (a MILP's status and spans, a placement's description), as one JSON object
    /// kept in the store's <c>detail</c> column; deterministic like the metrics. Null where the family has none.
    /// </summary>
    public string? Detail { get; init; }

    /// <summary>The figure named <paramref name="name"/> in <paramref name="figures"/> (metrics or timings), or NaN where it is missing.</summary>
    public static double Value(IReadOnlyList<KeyValuePair<string, double>> figures, string name)
    {
        ArgumentNullException.ThrowIfNull(figures);
        foreach (var (k, v) in figures)
            if (k == name) return v;
        return double.NaN;
    }

    /// <summary>A <see cref="Detail"/> object written by <paramref name="fields"/> (between its braces).</summary>
    public static string DetailJson(Action<System.Text.Json.Utf8JsonWriter> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
