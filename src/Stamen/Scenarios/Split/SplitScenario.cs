using Stamen.Split;

namespace Stamen.Scenarios.Split;

/// <summary>One request type: the device and link it comes from, its sequence length, SLA and arrival rate.</summary>
public sealed record SplitRequestType(string Name, DeviceSpec Device, LinkSpec Link, int SequenceTokens, double SlaMs, double RatePerSec, SplitProblem Problem);

/// <summary>A parsed split-inference scenario: the model and server, the request types, and the twin's settings.</summary>
/// <param name="LatencyStepMs">The program's latency step; null for 1/1000 of each request type's SLA.</param>
public sealed record SplitScenario(
    string File,
    string Name,
    int Seed,
    string ModelName,
    string ServerGpuName,
    int ServerGpus,
    double? LatencyStepMs,
    double DurationSec,
    IReadOnlyList<SplitRequestType> RequestTypes);
