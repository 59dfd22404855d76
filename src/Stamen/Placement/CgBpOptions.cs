using Stamen.Options;
using Stamen.Routing;

namespace Stamen.Placement;

/// <summary>Settings of <see cref="CgBpPlanner"/>.</summary>
public sealed record CgBpOptions
{
    public static CgBpOptions Default { get; } = new();

    /// <summary>Plan for exactly this many concurrent sessions R instead of sizing R from the load.</summary>
    public int? FixedSessions { get; init; }

    /// <summary>Upper bound on R. Null: the reference's R_max = floor((sum M - s_m (L + |S|)) / (s_c (L + |S|))).</summary>
    public int? RMax { get; init; }

    /// <summary>Which fixed delays T1 (the time R is sized from) includes.</summary>
    public CgBpT1Delays T1Delays { get; init; } = CgBpT1Delays.InitialAndAllocation;

    /// <summary>Link cost of the offline route T1 is timed on (the time itself is always the modelled request time).</summary>
    public HopCostMode T1HopCost { get; init; } = HopCostMode.Exact;

    /// <summary>The catalog's options of CG-BP; <see cref="From"/> reads them back.</summary>
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        OptionSpec.WholeNumber("sessions", null, 1, 1_000_000, "Plan for exactly R concurrent sessions (auto: R = min(round(lambda T1 + sqrt(lambda T1)), R_max))", "sessions"),
        OptionSpec.WholeNumber("r_max", null, 1, 1_000_000, "Upper bound on R (auto: floor((sum M - s_m (L + |S|)) / (s_c (L + |S|))))", "sessions"),
        OptionSpec.Choice("t1_delays", "with-allocation", ["with-allocation", "initial-only"],
            "Fixed delays counted in T1: the initial and allocation delays (our choice: sessions hold cache through both), or the initial delay only (published simulator)"),
        OptionSpec.Choice("t1_hop_cost", "exact", ["exact", "published"],
            "Link cost of T1's offline route: the hop's modelled time (exact), or l_max (RTT + tau k) (published)"),
    ];

    /// <summary>Options from validated catalog values.</summary>
    public static CgBpOptions From(OptionValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new CgBpOptions
        {
            FixedSessions = values.WholeNumberOrNull("sessions"),
            RMax = values.WholeNumberOrNull("r_max"),
            T1Delays = values.Choice("t1_delays") == "initial-only" ? CgBpT1Delays.InitialOnly : CgBpT1Delays.InitialAndAllocation,
            T1HopCost = values.Choice("t1_hop_cost") == "published" ? HopCostMode.Published : HopCostMode.Exact,
        };
    }
}

/// <summary>Fixed per-request delays counted in CG-BP's T1.</summary>
public enum CgBpT1Delays
{
    /// <summary>Initial and allocation delay: by Little's law the cache is held through both, so both count (our choice).</summary>
    InitialAndAllocation,

    /// <summary>The initial delay only, as the published simulator sizes R.</summary>
    InitialOnly,
}
