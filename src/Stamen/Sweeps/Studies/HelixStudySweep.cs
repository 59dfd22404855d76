using Stamen.Experiments;
using Stamen.Sweeps.Families;

namespace Stamen.Sweeps.Studies;

/// <summary>`stamen reproduce helix` as a sweep (the built-in sweep helix, family helix-study): its rows read back as the study's.</summary>
public static class HelixStudySweep
{
    public const string Name = "helix";

    /// <summary>The study's rows from a store's rows, in plan order (cell by cell, each cell's rows in its order); run 0 of each cell.</summary>
    public static IReadOnlyList<HelixStudyRow> Rows(IReadOnlyList<SweepRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.Where(r => r.Run == 0).Select(r => HelixStudySweepFamily.FromRun(r.Metrics, r.Detail))];
    }
}
