using Stamen.Hardware;

namespace Stamen.Swarm;

/// <summary>One GPU server of the swarm, with every quantity the performance model reads resolved.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="GpuName">GPU kind (for reports; the numbers below are what count).</param>
/// <param name="NodeIndex">Topology node it sits on, or -1 when all its delays were given explicitly.</param>
/// <param name="MemoryBytes">M_j: memory for blocks and caches.</param>
/// <param name="Times">Per-block decode and prefill times.</param>
/// <param name="MaxBlocks">Most blocks it may hold (model blocks, or less for MIG slices).</param>
public sealed record ServerSpec(string Name, string GpuName, int NodeIndex, double MemoryBytes, BlockTimes Times, int MaxBlocks)
{
    /// <summary>PETALS' measured forward and network rates (tokens/s), or null where none is known.</summary>
    public PetalsRates Rates { get; init; } = new(null, null);
}

/// <summary>A client that runs embeddings and head and relays hidden states between servers.</summary>
public sealed record ClientSpec(string Name, int NodeIndex);
