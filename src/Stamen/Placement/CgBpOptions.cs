namespace Stamen.Placement;

/// <summary>Settings of <see cref="CgBpPlanner"/>.</summary>
public sealed record CgBpOptions
{
    public static CgBpOptions Default { get; } = new();

    /// <summary>Plan for exactly this many concurrent sessions R instead of sizing R from the load.</summary>
    public int? FixedSessions { get; init; }

    /// <summary>Upper bound on R. Null: the reference's R_max = floor((sum M - s_m (L + |S|)) / (s_c (L + |S|))).</summary>
    public int? RMax { get; init; }
}
