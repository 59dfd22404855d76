namespace Stamen.Simulation.Cluster;

/// <summary>One server's figures over the measured window.</summary>
/// <param name="BusyFraction">Share of the window it spent running batches.</param>
/// <param name="PeakKvFraction">Highest KV use over its capacity (above 1: it overflowed).</param>
/// <param name="MeanBatchTokens">Mean tokens per batch (prompt and decode).</param>
public sealed record ClusterServerFigures(string Name, string Machine, int Layers, double BusyFraction, double PeakKvFraction, double MeanBatchTokens);

/// <summary>What one cluster run measured. Rates are per second of the measured window.</summary>
/// <param name="DecodeTokensPerSec">Decode tokens that reached the coordinator in the window, per second (Helix's decode throughput).</param>
/// <param name="PromptTokensPerSec">Prompt tokens whose prompt pass finished in the window, per second.</param>
/// <param name="RequestsLaunched">Requests that entered the cluster over the whole run.</param>
/// <param name="RequestsFinished">Requests whose last token arrived over the whole run.</param>
/// <param name="Rejections">Launch attempts the scheduler refused (no path with KV room); a refused request waits until a request ends and is tried again.</param>
/// <param name="MeanPromptLatencyMs">Launch to the end of the prompt pass, over prompts finished in the window.</param>
/// <param name="MeanDecodeLatencyMs">One decode iteration, coordinator to coordinator, over those finished in the window.</param>
/// <param name="KvOverflows">Batches that left a server's KV use above its capacity (Helix's simulator stops there; we count and go on).</param>
public sealed record ClusterRunResult(
    double DecodeTokensPerSec,
    double PromptTokensPerSec,
    long RequestsLaunched,
    long RequestsFinished,
    long Rejections,
    double MeanPromptLatencyMs,
    double MeanDecodeLatencyMs,
    long KvOverflows,
    IReadOnlyList<ClusterServerFigures> Servers,
    long EventsProcessed);
