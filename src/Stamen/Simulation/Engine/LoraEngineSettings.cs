using System.Globalization;

namespace Stamen.Simulation.Engine;

/// <summary>A LoRA adapter an engine can serve: its name and rank.</summary>
public sealed record LoraAdapter(string Name, int Rank);

/// <summary>Step-time multiplier for adapters in the batch, <c>(k1 x distinct adapters + k2) / 100</c>, as the multi-LoRA twin fits it.</summary>
public sealed record LoraOverhead(double K1, double K2)
{
    /// <summary>Factor on the base step time of an iteration whose batch holds <paramref name="distinctAdapters"/> adapters (at least one).</summary>
    public double Multiplier(int distinctAdapters) => (K1 * distinctAdapters + K2) / 100.0;
}

/// <summary>
/// Multi-LoRA serving on each engine instance (vLLM's enable_lora): which adapters exist, how many fit on the GPU at
/// once, what bringing one in costs, and the per-step overhead of adapters in the batch.
/// </summary>
/// <param name="Adapters">Every adapter a request may name, by index.</param>
/// <param name="MaxLoras">GPU adapter slots (max_loras): most distinct adapters in one batch and resident at once (LRU).</param>
/// <param name="MaxLoraRank">Largest rank the engine's buffers are sized for (max_lora_rank); every adapter's rank is at most this.</param>
/// <param name="LoadCostMsByRank">CPU to GPU load time of an adapter, by adapter rank, for this max rank; a rank not listed uses the next larger listed one.</param>
/// <param name="Overhead">Per-step multiplier by distinct adapters, or null to leave step times as the base model's.</param>
/// <param name="MaxCpuLoras">Adapters the CPU cache holds (LRU); null when every adapter stays in CPU memory.</param>
/// <param name="DiskLoadMs">Extra time to bring an adapter missing from the CPU cache from disk; not published, 0 by default.</param>
public sealed record LoraEngineSettings(
    IReadOnlyList<LoraAdapter> Adapters,
    int MaxLoras,
    int MaxLoraRank,
    IReadOnlyDictionary<int, double> LoadCostMsByRank,
    LoraOverhead? Overhead,
    int? MaxCpuLoras = null,
    double DiskLoadMs = 0)
{
    /// <summary>The scheduler's CPU time per step, or null for none (the default).</summary>
    public SchedulerOverhead? SchedulerOverhead { get; init; }

    /// <summary>Load time of an adapter of <paramref name="rank"/>: the table's entry for that rank or the next larger listed one; 0 for an empty table.</summary>
    public double LoadCostMs(int rank)
    {
        if (LoadCostMsByRank.Count == 0) return 0;
        if (LoadCostMsByRank.TryGetValue(rank, out var ms)) return ms;
        var larger = LoadCostMsByRank.Keys.Where(k => k >= rank).DefaultIfEmpty(LoadCostMsByRank.Keys.Max()).Min();
        return LoadCostMsByRank[larger];
    }

    /// <summary>Every problem, in one message; nothing when valid.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Adapters.Count == 0) problems.Add("lora.adapters is empty");
        if (MaxLoras < 1) problems.Add("lora.max_loras must be at least 1");
        if (MaxCpuLoras is { } cpu && cpu < MaxLoras) problems.Add("lora.max_cpu_loras must be at least max_loras");
        if (!(DiskLoadMs >= 0) || !double.IsFinite(DiskLoadMs)) problems.Add("lora.disk_load_ms must be 0 or more");
        if (LoadCostMsByRank.Values.Any(v => !(v >= 0) || !double.IsFinite(v))) problems.Add("lora load costs must be 0 or more");
        if (SchedulerOverhead is { } overhead) problems.AddRange(overhead.Problems());
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in Adapters)
        {
            if (a.Rank < 1 || a.Rank > MaxLoraRank)
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"adapter '{a.Name}' has rank {a.Rank}, outside 1..max_lora_rank {MaxLoraRank}"));
            if (!names.Add(a.Name)) problems.Add($"adapter '{a.Name}' is listed twice");
        }
        if (problems.Count > 0) throw new StamenInputException("engine", "lora", string.Join("; ", problems), "fix the lora settings");
    }
}

/// <summary>One min-max scaled term of <see cref="SchedulerOverhead"/>: coefficient (s) times (x - min) / (max - min).</summary>
public sealed record ScaledTerm(double CoefficientS, double Min, double Max)
{
    public double Seconds(double x) => CoefficientS * (x - Min) / (Max - Min);
}

/// <summary>
/// The CPU time vLLM's scheduler adds to every step of a multi-LoRA engine, as the seed-003 authors
/// fit it (reference section 4: "scheduler overhead grows with running and waiting counts"; the fitted
/// constants are data, in the model's LoRA profile, Catalogs/lora.yaml):
/// ms = 1000 x max(0, a mm(B) + b mm(W) + c mm(W x slots / served) - baseline), with B running and W
/// waiting requests after scheduling, slots = max_loras, served = adapters the engine serves, and
/// mm(x) = (x - min) / (max - min) over the ranges of their data.
/// </summary>
public sealed record SchedulerOverhead(ScaledTerm Running, ScaledTerm Waiting, ScaledTerm WaitingPerSlotShare, double BaselineS)
{
    /// <summary>The step's overhead in ms for <paramref name="running"/> and <paramref name="waiting"/> requests after scheduling.</summary>
    public double Ms(int running, int waiting, int slots, int served)
    {
        var seconds = Running.Seconds(running) + Waiting.Seconds(waiting) + WaitingPerSlotShare.Seconds((double)waiting * slots / served) - BaselineS;
        return 1000 * Math.Max(0, seconds);
    }

    /// <summary>Every problem, in one list; empty when valid.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, t) in new[] { ("running", Running), ("waiting", Waiting), ("waiting_share", WaitingPerSlotShare) })
            if (!double.IsFinite(t.CoefficientS) || !double.IsFinite(t.Min) || !double.IsFinite(t.Max) || !(t.Max > t.Min))
                yield return $"lora.scheduler_overhead.{name}: needs finite numbers with max above min";
        if (!double.IsFinite(BaselineS)) yield return "lora.scheduler_overhead.baseline_s must be a finite number";
    }
}
