using Stamen.Adapters;

namespace Stamen.Scenarios.Adapters;

/// <summary>
/// An adapter-placement problem, parsed and resolved: the adapters with their ranks and rates, and the GPU
/// kind and engine (as a <see cref="GpuServingTwin"/>) every GPU of a plan runs.
/// </summary>
/// <param name="File">Where it came from, for messages.</param>
/// <param name="StepTimeLabel">How the step time was chosen, for summaries.</param>
public sealed record AdapterWorkload(string File, string Name, int Seed, IReadOnlyList<AdapterDemand> Adapters, GpuServingTwin Twin, string StepTimeLabel)
{
    /// <summary>One line for summaries.</summary>
    public string Describe() => FormattableString.Invariant(
        $"{Adapters.Count} adapters (ranks {string.Join("/", Adapters.Select(a => a.Rank).Distinct().Order())}), {Adapters.Sum(a => a.RatePerSec):0.##} req/s in all, prompt mean {Twin.PromptTokens.Mean:0}, output mean {Twin.OutputTokens.Mean:0}; {Twin.Model.Name} on {Twin.Gpu.Name}, {Twin.Policy.Name}, {StepTimeLabel}, {Twin.DurationSec:0} s per GPU in the twin");
}
