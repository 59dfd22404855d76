namespace Stamen.Simulation.Engine;

/// <summary>One request offered to a serving engine: when it arrives and how many tokens it reads and writes.</summary>
/// <param name="Id">Unique id; ties between equal arrival times break by it, so runs are deterministic.</param>
/// <param name="ArrivalMs">Arrival time in simulated milliseconds.</param>
/// <param name="PromptTokens">Prompt length (at least 1).</param>
/// <param name="OutputTokens">Tokens to generate (at least 1; the prefill emits the first).</param>
/// <param name="Adapter">Index of the LoRA adapter it asks for in the deployment's adapter list, or -1 for the base model.</param>
public sealed record EngineRequest(int Id, double ArrivalMs, int PromptTokens, int OutputTokens, int Adapter = -1)
{
    /// <summary>Index meaning "no adapter": the base model serves the request.</summary>
    public const int BaseModel = -1;
}
