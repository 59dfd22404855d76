namespace Stamen.Optimization.Nsga2;

/// <summary>One member of the final population.</summary>
/// <param name="Rank">0 = first (non-dominated) front under constrained domination.</param>
/// <param name="CrowdingDistance">Within its front; infinite at the front's extremes.</param>
public sealed record Nsga2Individual<TGenome>(TGenome Genome, Evaluation Evaluation, int Rank, double CrowdingDistance);

/// <summary>
/// Outcome of a run. <see cref="FirstFront"/> is the rank-0 part of <see cref="Population"/>: the
/// feasible non-dominated members if any member is feasible, otherwise the least-violating ones.
/// Members with equal objectives (e.g. duplicate genomes) are all kept.
/// </summary>
public sealed record Nsga2Result<TGenome>(
    IReadOnlyList<Nsga2Individual<TGenome>> Population,
    IReadOnlyList<Nsga2Individual<TGenome>> FirstFront);
