namespace Stamen.Performance;

/// <summary>Time of a request along a route, without waits or fixed delays.</summary>
/// <param name="FirstTokenMs">sum over hops of RTT_in(c,j) + k_j * tau_in_j(l_in).</param>
/// <param name="PerTokenMs">sum over hops of RTT(c,j) + k_j * tau_j: each token after the first.</param>
/// <param name="OutputTokens">l_max.</param>
public readonly record struct RouteTiming(double FirstTokenMs, double PerTokenMs, int OutputTokens)
{
    public double TotalMs => FirstTokenMs + (OutputTokens - 1) * PerTokenMs;
    public double AverageMsPerToken => TotalMs / OutputTokens;
}
