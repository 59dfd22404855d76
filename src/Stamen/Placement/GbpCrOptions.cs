namespace Stamen.Placement;

/// <summary>Settings of <see cref="GbpCrPlanner"/>.</summary>
public sealed record GbpCrOptions
{
    public static GbpCrOptions Default { get; } = new();

    /// <summary>Reserve cache for exactly this many sessions c on every server instead of choosing c by the paper's Eq. 9.</summary>
    public int? FixedReservation { get; init; }

    /// <summary>rho-bar: the load the chains are sized for; chains are added until their service rate reaches lambda / rho-bar (paper default 0.7).</summary>
    public double TargetLoad { get; init; } = 0.7;
}
