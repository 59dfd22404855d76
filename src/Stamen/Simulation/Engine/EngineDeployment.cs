namespace Stamen.Simulation.Engine;

/// <summary>
/// What runs: identical engine instances (model, GPU, limits, step-time model) behind a request router,
/// optionally serving LoRA adapters, with the link DistKV uses when the policy lends KV between instances.
/// </summary>
/// <param name="Config">Each instance's engine.</param>
/// <param name="StepTime">Each instance's step-time model (before adapter, swap and remote-attention costs).</param>
/// <param name="Instances">Engine instances, at least 1.</param>
/// <param name="Router">Name in <see cref="EngineRouterCatalog"/>.</param>
/// <param name="Lora">Multi-LoRA settings, or null when requests use the base model only.</param>
public sealed record EngineDeployment(
    EngineConfig Config,
    IStepTimeModel StepTime,
    int Instances = 1,
    string Router = EngineRouterCatalog.RoundRobin,
    LoraEngineSettings? Lora = null)
{
    /// <summary>KV lending and the link between instances, used by policies that lend KV (distkv).</summary>
    public DistKvSettings DistKv { get; init; } = new();

    /// <summary>Every problem, as one input error; nothing when valid.</summary>
    public void Validate()
    {
        Config.Validate();
        DistKv.Validate();
        Lora?.Validate();
        if (Instances < 1) throw new StamenInputException("engine", "instances", "must be at least 1", "use 1 for a single engine");
        EngineRouterCatalog.Find(Router);
    }
}
