namespace Stamen.Experiments;

/// <summary>Names of figures computed here rather than by the twin's per-run metrics.</summary>
public static class MetricNames
{
    /// <summary>Highest memory use on any server as a fraction of its memory.</summary>
    public const string PeakMemoryFraction = "peak_memory_fraction";

    /// <summary>Wall time of planning (placement plus router setup).</summary>
    public const string PlanningMs = "planning_ms";
}
