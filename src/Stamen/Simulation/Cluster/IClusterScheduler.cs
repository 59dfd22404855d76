using Stamen.Plans;

namespace Stamen.Simulation.Cluster;

/// <summary>What a scheduler may read of a running cluster.</summary>
public interface IClusterView
{
    ClusterSpec Cluster { get; }

    /// <summary>Layers each server holds.</summary>
    IReadOnlyList<BlockSpan> Spans { get; }

    /// <summary>KV capacity of a server (token-layers).</summary>
    long KvCapacity(int server);

    /// <summary>KV the requests routed through a server are expected to take (token-layers).</summary>
    double KvExpected(int server);
}

/// <summary>A request the coordinator is about to send.</summary>
/// <param name="PromptTokens">Its prompt.</param>
/// <param name="ExpectedTokens">Prompt plus the output the coordinator expects (what it reserves KV for).</param>
public readonly record struct ClusterQuery(int PromptTokens, int ExpectedTokens);

/// <summary>
/// Chooses the servers a request passes through, once, when its prompt leaves the coordinator; its decode
/// iterations follow the same path (their KV lives there). Each server runs every layer it holds.
/// </summary>
public interface IClusterScheduler
{
    /// <summary>Servers in order (the first holds layer 0, each next starts where the last ended, the last ends the model), or null to refuse.</summary>
    int[]? ChoosePath(ClusterQuery query, IClusterView view, Random random);

    /// <summary>A decode iteration is about to follow <paramref name="path"/>.</summary>
    void OnDecode(int[] path) { }

    /// <summary>A request on <paramref name="path"/> finished.</summary>
    void OnFinished(int[] path, ClusterQuery query) { }

    /// <summary>An item <paramref name="sender"/> (a server, or the coordinator) sent to <paramref name="server"/> left it <paramref name="ms"/> after it was sent (Swarm's estimate).</summary>
    void OnHopTime(int sender, int server, double ms) { }
}
