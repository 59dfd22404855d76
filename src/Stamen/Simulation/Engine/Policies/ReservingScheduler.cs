namespace Stamen.Simulation.Engine.Policies;

/// <summary>
/// ORCA (reference section 3): iteration-level batching with KV reserved for a request's maximum
/// tokens at admission (n_reserved + max_tokens &lt;= n_slots), so a running request never needs
/// more and nothing is ever preempted. Memory units are tokens; how many a request reserves is the
/// policy's variant (<see cref="EnginePolicy.ReservedTokens"/>: max context, power of two, exact).
/// </summary>
internal sealed class ReservingScheduler(EnginePolicy policy) : IterationScheduler(policy.ChunkedPrefill)
{
    public override bool NeverFits(EngineRequest request, IEngineStep engine) => policy.ReservedTokens(request, engine.Config) > engine.MostUnitsEver;

    protected override bool Grow(IEngineStep engine, EngineRequestState s, long tokens) => true;

    protected override bool Reserve(IEngineStep engine, EngineRequestState s)
    {
        var reserve = policy.ReservedTokens(s.Request, engine.Config);
        if (engine.AvailableUnits < reserve) return false;
        engine.Allocate(s, reserve);
        return true;
    }
}
