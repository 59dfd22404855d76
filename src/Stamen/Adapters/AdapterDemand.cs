namespace Stamen.Adapters;

/// <summary>One LoRA adapter to place: its name, rank, and the Poisson rate of its requests.</summary>
public sealed record AdapterDemand(string Name, int Rank, double RatePerSec);
