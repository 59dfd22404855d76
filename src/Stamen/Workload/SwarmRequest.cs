namespace Stamen.Workload;

/// <summary>One inference session offered to the swarm.</summary>
/// <param name="Id">Position in arrival order, from 0.</param>
/// <param name="ArrivalMs">Arrival time since the start of the run.</param>
/// <param name="ClientIndex">Client that issues it.</param>
/// <param name="Shape">Prompt and output lengths.</param>
public sealed record SwarmRequest(int Id, double ArrivalMs, int ClientIndex, RequestShape Shape);
