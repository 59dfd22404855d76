namespace Stamen.Simulation.Engine;

/// <summary>
/// The bookkeeping an engine must keep after every step (checked in tests and with --check): every
/// running request's KV agrees with its tokens and fits its slots, waiting requests hold nothing but
/// swapped KV, and the engine's totals equal the sums over its requests.
/// </summary>
internal static class EngineInvariants
{
    /// <summary>The engine's running totals, to compare with the sums over its requests.</summary>
    /// <param name="AllocatedLessFreed">Units ever allocated less units ever freed.</param>
    public readonly record struct Totals(long UnitsInUse, long HeldTokens, long AllocatedLessFreed);

    /// <summary>Throws on the first broken invariant; returns the units and borrowed units the running requests hold, for the KV pools' own check.</summary>
    /// <param name="paged">Units are KV blocks of <see cref="EngineConfig.BlockSizeTokens"/> (else token slots).</param>
    /// <param name="checkCapacity">Held tokens must fit the engine's own cache (not when it borrows from others).</param>
    public static (long Units, long RemoteUnits) Check(IReadOnlyList<EngineRequestState> running, IEnumerable<EngineRequestState> waiting,
        EngineConfig config, bool paged, SwapSpace swap, Totals totals, bool checkCapacity)
    {
        var block = config.BlockSizeTokens;
        long units = 0, remote = 0, held = 0;
        foreach (var s in running)
        {
            units += s.Units;
            remote += s.RemoteUnits;
            held += s.HeldTokens;
            var slots = paged ? s.Units * block : s.Units;
            Require(s.HeldTokens <= slots, $"request {s.Request.Id} holds {s.HeldTokens} tokens in {slots} slots");
            if (paged) Require(s.Units == (s.HeldTokens + block - 1) / block || s.InPrefill, $"request {s.Request.Id} holds more blocks than its tokens need");
            Require(s.Generated < s.Request.OutputTokens, $"finished request {s.Request.Id} still running");
            Require(s.SwappedTokens == 0, $"running request {s.Request.Id} still counts swapped tokens");
            if (!s.InPrefill) Require(s.HeldTokens == s.Request.PromptTokens + s.Generated - 1, $"request {s.Request.Id} KV {s.HeldTokens} disagrees with its tokens");
        }
        long swapped = 0;
        foreach (var s in waiting)
        {
            Require(s.Units == 0 && s.HeldTokens == 0, $"waiting request {s.Request.Id} holds KV");
            swapped += s.SwappedTokens;
            if (s.SwappedTokens > 0) Require(!s.InPrefill && s.SwappedTokens == s.Request.PromptTokens + s.Generated - 1, $"swapped request {s.Request.Id} KV disagrees with its tokens");
        }
        Require(swapped == swap.UsedTokens && swap.UsedTokens <= swap.CapacityTokens,
            $"swapped tokens {swap.UsedTokens} disagree with the queue ({swapped}) or exceed swap space {swap.CapacityTokens}");
        Require(units == totals.UnitsInUse, $"units in use {totals.UnitsInUse} but requests hold {units}");
        Require(held == totals.HeldTokens, $"tokens held {totals.HeldTokens} but requests hold {held}");
        Require(totals.AllocatedLessFreed == totals.UnitsInUse, "allocated - freed differs from units in use");
        Require(running.Count <= config.MaxBatchSize, "running exceeds max batch size");
        if (checkCapacity) Require(totals.HeldTokens <= config.KvCapacityTokens, $"{totals.HeldTokens} KV tokens over capacity {config.KvCapacityTokens}");
        return (units, remote);
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition) throw new InvalidOperationException("engine invariant broken: " + problem);
    }
}
