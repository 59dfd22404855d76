namespace Stamen.Simulation.Engine;

/// <summary>
/// How the instances of a DistKV-LLM cluster lend KV memory: how much of its cache an instance may lend,
/// and the link that remote attention crosses.
/// </summary>
/// <param name="LendingCapFraction">Most of its own KV capacity an instance lends to others at once (the gManager's cap), in [0, 1].</param>
/// <param name="LinkBytesPerSec">Bandwidth between instances; the default is 200 Gb/s InfiniBand.</param>
/// <param name="LinkRttMs">Round trip between instances; paid once per layer in every iteration that reads remote KV.</param>
public sealed record DistKvSettings(double LendingCapFraction = 0.5, double LinkBytesPerSec = 25e9, double LinkRttMs = 0.01)
{
    /// <summary>Every problem, in one message; nothing when valid.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (LendingCapFraction is < 0 or > 1 || double.IsNaN(LendingCapFraction)) problems.Add("lending_cap must be in [0, 1]");
        if (!(LinkBytesPerSec > 0) || !double.IsFinite(LinkBytesPerSec)) problems.Add("link_gb_per_s must be positive");
        if (!(LinkRttMs >= 0) || !double.IsFinite(LinkRttMs)) problems.Add("link_rtt_us must be 0 or more");
        if (problems.Count > 0) throw new StamenInputException("engine", "distkv", string.Join("; ", problems), "fix the distkv settings");
    }
}
