using Stamen.Placement;

namespace Stamen.Runtime.Swarm;

/// <summary>
/// Which blocks a joining server takes, by the twin's planner code: PETALS' rule (<see cref="PetalsBlockRule.BestStart"/>):
/// the span of the server's length whose per-block throughputs, sorted, are smallest, so a new server shores up the
/// swarm's weakest blocks. Throughput per block is the sum over live servers of the same model holding it (a server
/// that announces none counts as 1 token/s).
/// </summary>
public static class BlockChoice
{
    public static async Task<(int Start, int End)> ChooseAsync(IServerDirectory directory, string model, int blocks, int length,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (length < 1 || length > blocks)
            throw new StamenInputException("--num-blocks", length.ToString(System.Globalization.CultureInfo.InvariantCulture), $"must be 1..{blocks}",
                "give how many blocks this server holds");
        var servers = await directory.ListAsync(cancellationToken).ConfigureAwait(false);
        var start = BestStart(servers.Where(s => s.Model == model).ToList(), blocks, length);
        return (start, start + length);
    }

    /// <summary>The PETALS start for a span of <paramref name="length"/> blocks given the live servers.</summary>
    public static int BestStart(IReadOnlyList<BlockServerInfo> servers, int blocks, int length)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var throughputs = new double[blocks];
        foreach (var s in servers)
            for (var b = Math.Max(0, s.StartBlock); b < Math.Min(blocks, s.EndBlock); b++)
                throughputs[b] += s.ThroughputTokensPerSec > 0 ? s.ThroughputTokensPerSec : 1;
        return PetalsBlockRule.BestStart(throughputs, length);
    }
}
