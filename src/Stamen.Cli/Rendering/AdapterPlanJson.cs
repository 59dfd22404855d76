using Stamen.Adapters;
using Stamen.Experiments;
using Stamen.Reporting;

namespace Stamen.Cli.Rendering;

/// <summary>The JSON of `stamen adapters plan|verify`: per method the GPUs (slots and adapter names) and, when verified, the twin's outcome per GPU;
/// and the report.</summary>
/// <remarks><c>timings</c> holds the wall-clock planning time per method: the only part that differs between two runs.</remarks>
internal sealed record AdapterPlanJson(string Workload, int Adapters, double TotalRatePerS, string Predictor, int LowerBoundGpus, string LowerBoundHow,
    double GpuCapacityTokensPerS, int? VerifySeed, IReadOnlyList<AdapterMethodJson> Methods, AdapterTimingsJson Timings, Report? Report = null)
{
    public static AdapterPlanJson From(AdapterPlacementReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new AdapterPlanJson(r.Workload.Name, r.Workload.Adapters.Count, r.Workload.Adapters.Sum(a => a.RatePerSec), r.Predictor,
            r.LowerBound.Gpus, r.LowerBound.How, r.LowerBound.CapacityTokensPerSec, r.VerifySeed,
            [.. r.Methods.Select(m => new AdapterMethodJson(
                m.Placement.Method, m.Placement.GpuCount, m.Placement.PredictedStarvedGpus,
                m.Verification?.StarvedGpus, m.Verification?.ThroughputTokensPerSec, m.Verification?.OfferedTokensPerSec,
                [.. m.Placement.Gpus.Select((g, i) => new AdapterGpuJson(i, g.Slots, g.MaxRank, g.RatePerSec, [.. g.Adapters.Select(a => a.Name)],
                    m.Verification?.Gpus[i] is { } o ? Outcome(o) : null))]))],
            new AdapterTimingsJson(r.Methods.ToDictionary(m => m.Placement.Method, m => m.PlanMs)));
    }

    private static AdapterGpuOutcomeJson Outcome(GpuServingOutcome o) =>
        new(o.Starts, o.KvCapacityTokens, o.ThroughputTokensPerSec, o.OfferedTokensPerSec, o.Starved, o.StarvedAdapters,
            double.IsFinite(o.MeanTtftSec) ? o.MeanTtftSec : null, double.IsFinite(o.MeanItlSec) ? o.MeanItlSec : null);
}

/// <summary>Wall-clock planning time per method, ms.</summary>
internal sealed record AdapterTimingsJson(IReadOnlyDictionary<string, double> PlanMs);

internal sealed record AdapterMethodJson(string Method, int Gpus, int PredictedStarvedGpus, int? VerifiedStarvedGpus,
    double? VerifiedThroughputTokensPerS, double? VerifiedOfferedTokensPerS, IReadOnlyList<AdapterGpuJson> GpuList);

internal sealed record AdapterGpuJson(int Gpu, int Slots, int MaxRank, double RatePerS, IReadOnlyList<string> Adapters, AdapterGpuOutcomeJson? Twin);

internal sealed record AdapterGpuOutcomeJson(bool Starts, long KvCapacityTokens, double ThroughputTokensPerS, double OfferedTokensPerS, bool Starved,
    int StarvedAdapters, double? MeanTtftS, double? MeanItlS);
