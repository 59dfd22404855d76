using Stamen.Simulation.Engine;
using Stamen.Workload;

namespace Stamen.Scenarios.Engine;

/// <summary>Where an engine scenario's requests come from; <see cref="Generate"/> turns it into engine requests.</summary>
public abstract record EngineWorkloadDefinition
{
    /// <summary>The requests, in arrival order; the same seed gives the same requests.</summary>
    public abstract IReadOnlyList<EngineRequest> Generate(int seed);

    /// <summary>One line for summaries.</summary>
    public abstract string Describe();

    /// <summary>The same workload with arrivals <paramref name="factor"/> times as frequent (a rate sweep's step).</summary>
    public abstract EngineWorkloadDefinition Scaled(double factor);
}

/// <summary>Seeded Poisson arrivals with token counts from distributions (the swarm scenario's generator, one client).</summary>
public sealed record EnginePoissonWorkload(PoissonWorkload Poisson) : EngineWorkloadDefinition
{
    public override IReadOnlyList<EngineRequest> Generate(int seed) =>
        [.. Poisson.Generate(seed).Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens))];

    public override string Describe() =>
        FormattableString.Invariant($"Poisson {Poisson.RatePerSec:0.###} req/s x {Poisson.Requests}, prompt mean {Poisson.PromptTokens.Mean:0.#}, output mean {Poisson.OutputTokens.Mean:0.#}");

    public override EngineWorkloadDefinition Scaled(double factor) => this with { Poisson = Poisson with { RatePerSec = Poisson.RatePerSec * factor } };
}

/// <summary>
/// A request trace CSV (arrived_at, num_prefill_tokens, num_decode_tokens, optional adapter); <see cref="TimeScale"/>
/// below 1 raises the rate. An adapter cell names one of <see cref="AdapterNames"/>; an empty one means the base model.
/// </summary>
public sealed record EngineTraceWorkload(string Path, int? Limit, double TimeScale, IReadOnlyList<string> AdapterNames) : EngineWorkloadDefinition
{
    public override IReadOnlyList<EngineRequest> Generate(int seed)
    {
        var rows = TraceWorkloadLoader.LoadRows(Path, Limit, TimeScale);
        var index = AdapterNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var requests = new EngineRequest[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var adapter = EngineRequest.BaseModel;
            if (row.Adapter is { } name && !index.TryGetValue(name, out adapter))
                throw new StamenInputException(Path, $"line {row.Line}: adapter", $"unknown adapter '{name}'",
                    AdapterNames.Count == 0 ? "list the trace's adapters under lora.adapters in the scenario" : $"use one of the scenario's adapters ({string.Join(", ", AdapterNames.Take(10))}{(AdapterNames.Count > 10 ? ", ..." : "")}) or list it under lora.adapters");
            requests[i] = new EngineRequest(i, row.ArrivalMs, row.PromptTokens, row.OutputTokens, adapter);
        }
        return requests;
    }

    public override string Describe() =>
        FormattableString.Invariant($"trace {System.IO.Path.GetFileName(Path)}{(Limit is { } l ? $" (first {l})" : "")}, time scale {TimeScale:0.###}");

    public override EngineWorkloadDefinition Scaled(double factor) => this with { TimeScale = TimeScale / factor };
}

/// <summary>Seeded Poisson arrivals per LoRA adapter (rates from the scenario's adapter list) for a duration.</summary>
public sealed record EngineAdapterPoissonWorkload(AdapterPoissonWorkload Poisson) : EngineWorkloadDefinition
{
    public override IReadOnlyList<EngineRequest> Generate(int seed) =>
        [.. Poisson.Generate(seed).Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens, r.Adapter))];

    public override string Describe() =>
        FormattableString.Invariant($"Poisson per adapter, {Poisson.RatesPerSec.Count} adapters, {Poisson.RatesPerSec.Sum():0.###} req/s in all for {Poisson.DurationSec:0.#} s, prompt mean {Poisson.PromptTokens.Mean:0.#}, output mean {Poisson.OutputTokens.Mean:0.#}");

    public override EngineWorkloadDefinition Scaled(double factor) =>
        this with { Poisson = Poisson with { RatesPerSec = [.. Poisson.RatesPerSec.Select(r => r * factor)] } };
}

/// <summary>
/// A parsed and resolved engine scenario: the deployment (engine instances of a catalog model and GPU,
/// limits, step-time model, router, LoRA adapters), a workload and the policies to compare on the same arrivals.
/// </summary>
/// <param name="File">Where it came from, for messages.</param>
/// <param name="StepTimeLabel">How the step time was chosen, for summaries (e.g. "roofline MFU 0.4/0.2, MBU 0.8").</param>
/// <param name="KvLabel">How the KV capacity was chosen, for summaries.</param>
public sealed record EngineScenario(
    string File,
    string Name,
    int Seed,
    EngineDeployment Deployment,
    string StepTimeLabel,
    string KvLabel,
    EngineWorkloadDefinition Workload,
    IReadOnlyList<EnginePolicy> Policies)
{
    /// <summary>Each instance's engine.</summary>
    public EngineConfig Config => Deployment.Config;

    /// <summary>The scenario's requests for <paramref name="seed"/> (the scenario's own when null).</summary>
    public IReadOnlyList<EngineRequest> Requests(int? seed = null) => Workload.Generate(seed ?? Seed);
}
