using System.Globalization;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// What must hold after every twin event: time never goes back; on every server the cache in use
/// respects the placement's budget and weights plus cache fit in the server's memory (except under
/// the published simulator's slot pools, which do not bound bytes); no
/// composed chain holds more sessions than its slots; and
/// requests are conserved: arrived = done + failed + in flight, where in flight is counted from
/// the pending events (a retry or a session end), not from the counters themselves.
/// </summary>
internal sealed class SwarmInvariants(SwarmState state, List<string> violations)
{
    private double _previousMs = double.NegativeInfinity;

    public void Check(double nowMs, EventQueue<SwarmEvent> queue, int arrived, int done, int failed)
    {
        if (nowMs < _previousMs) Report(nowMs, $"time went back from {_previousMs.ToString("R", CultureInfo.InvariantCulture)}");
        _previousMs = nowMs;

        var swarm = state.Swarm;
        for (var j = 0; j < swarm.ServerCount; j++)
        {
            var ledger = state.Ledger(j);
            if (!ledger.WithinBudgetAt(nowMs))
                Report(nowMs, $"server {j} cache exceeds its budget of {ledger.Budget.PoolBytes.ToString("R", CultureInfo.InvariantCulture)} bytes{(ledger.Budget.PerBlock ? " per block" : ledger.Budget.IsSlots ? " in slots" : "")}");
            // A slot pool (the published simulator's PETALS) bounds sessions, not bytes: a session
            // takes one slot whatever its blocks, so real memory may exceed the server's. That is the
            // published model's behaviour, reproduced on purpose; the budget check above still holds.
            if (ledger.Budget.IsSlots) continue;
            var memory = swarm.Model.BlockBytes * ledger.Span.Count + ledger.UsedBytesAt(nowMs);
            var limit = swarm.Servers[j].MemoryBytes;
            if (memory > limit * (1 + CacheLedger.Tolerance))
                Report(nowMs, $"server {j} memory {memory.ToString("R", CultureInfo.InvariantCulture)} exceeds its limit {limit.ToString("R", CultureInfo.InvariantCulture)}");
        }

        for (var k = 0; k < state.Placement.Chains.Count; k++)
        {
            var sessions = state.ChainSessionsAt(k, nowMs);
            if (sessions > state.Placement.Chains[k].Slots)
                Report(nowMs, $"composed chain {k} holds {sessions} sessions, more than its {state.Placement.Chains[k].Slots} slots");
        }

        var inFlight = 0;
        foreach (var e in queue.Pending())
            if (e.Kind == SwarmEventKind.SessionEnd || (e.Kind == SwarmEventKind.Attempt && e.Retry > 0)) inFlight++;
        if (arrived != done + failed + inFlight)
            Report(nowMs, $"requests not conserved: arrived {arrived} != done {done} + failed {failed} + in flight {inFlight}");
    }

    private void Report(double nowMs, string problem) =>
        violations.Add(string.Create(CultureInfo.InvariantCulture, $"t={nowMs:R} ms: {problem}"));
}
