using Stamen.Options;
using Stamen.Split;

namespace Stamen.Scenarios.Split;

/// <summary>One request type: the device and link it comes from, its sequence length, SLA and arrival rate.</summary>
public sealed record SplitRequestType(string Name, DeviceSpec Device, LinkSpec Link, int SequenceTokens, double SlaMs, double RatePerSec, SplitProblem Problem);

/// <summary>A parsed split-inference scenario: the model and server, the request types, the methods compared, and the twin's settings.</summary>
/// <param name="Methods">Split methods with their options (`stamen catalog split-methods`), in the order compared.</param>
public sealed record SplitScenario(
    string File,
    string Name,
    int Seed,
    string ModelName,
    string ServerGpuName,
    int ServerGpus,
    IReadOnlyList<ComponentChoice> Methods,
    double DurationSec,
    IReadOnlyList<SplitRequestType> RequestTypes)
{
    /// <summary>The methods' names, in the order compared.</summary>
    public IReadOnlyList<string> MethodNames => [.. Methods.Select(m => m.Name)];

    /// <summary>The dynamic program's latency step when the scenario runs it with one; null for 1/1000 of each SLA or when it does not run.</summary>
    public double? LatencyStepMs => Methods.FirstOrDefault(m => m.Name == "dp")?.Options.NumberOrNull("latency_step_ms");
}
