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
}

/// <summary>Seeded Poisson arrivals with token counts from distributions (the swarm scenario's generator, one client).</summary>
public sealed record EnginePoissonWorkload(PoissonWorkload Poisson) : EngineWorkloadDefinition
{
    public override IReadOnlyList<EngineRequest> Generate(int seed) =>
        [.. Poisson.Generate(seed).Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens))];

    public override string Describe() =>
        FormattableString.Invariant($"Poisson {Poisson.RatePerSec:0.###} req/s x {Poisson.Requests}, prompt mean {Poisson.PromptTokens.Mean:0.#}, output mean {Poisson.OutputTokens.Mean:0.#}");
}

/// <summary>A request trace CSV (arrived_at, num_prefill_tokens, num_decode_tokens); <see cref="TimeScale"/> below 1 raises the rate.</summary>
public sealed record EngineTraceWorkload(string Path, int? Limit, double TimeScale) : EngineWorkloadDefinition
{
    public override IReadOnlyList<EngineRequest> Generate(int seed) =>
        [.. TraceWorkloadLoader.Load(Path, ["engine"], Limit, TimeScale)
            .Select(r => new EngineRequest(r.Id, r.ArrivalMs, r.Shape.PromptTokens, r.Shape.OutputTokens))];

    public override string Describe() =>
        FormattableString.Invariant($"trace {System.IO.Path.GetFileName(Path)}{(Limit is { } l ? $" (first {l})" : "")}, time scale {TimeScale:0.###}");
}

/// <summary>
/// A parsed and resolved engine scenario: one engine instance (catalog model and GPU, limits, step-time
/// model), a workload and the policies to compare on the same arrivals.
/// </summary>
/// <param name="File">Where it came from, for messages.</param>
/// <param name="StepTimeLabel">How the step time was chosen, for summaries (e.g. "roofline MFU 0.4/0.2, MBU 0.8").</param>
public sealed record EngineScenario(
    string File,
    string Name,
    int Seed,
    EngineConfig Config,
    IStepTimeModel StepTime,
    string StepTimeLabel,
    EngineWorkloadDefinition Workload,
    IReadOnlyList<EnginePolicy> Policies)
{
    /// <summary>The scenario's requests for <paramref name="seed"/> (the scenario's own when null).</summary>
    public IReadOnlyList<EngineRequest> Requests(int? seed = null) => Workload.Generate(seed ?? Seed);
}
