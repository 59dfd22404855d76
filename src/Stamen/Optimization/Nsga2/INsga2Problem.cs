namespace Stamen.Optimization.Nsga2;

/// <summary>A problem NSGA-II can solve: how to draw a random genome and how to score one.</summary>
/// <typeparam name="TGenome">The encoding; treated as an immutable value by the engine.</typeparam>
public interface INsga2Problem<TGenome>
{
    /// <summary>Number of objectives every <see cref="Evaluation"/> carries.</summary>
    int ObjectiveCount { get; }

    /// <summary>A random genome for the initial population, drawn only from <paramref name="random"/>.</summary>
    TGenome Random(Random random);

    /// <summary>Objectives (minimised) and total constraint violation of a genome. Must be deterministic.</summary>
    Evaluation Evaluate(TGenome genome);
}

/// <summary>Recombines two parents into two children.</summary>
public interface ICrossover<TGenome>
{
    (TGenome First, TGenome Second) Cross(TGenome first, TGenome second, Random random);
}

/// <summary>Perturbs one genome.</summary>
public interface IMutation<TGenome>
{
    TGenome Mutate(TGenome genome, Random random);
}

/// <summary>Maps a genome onto a valid one (e.g. contiguous spans); applied to every new genome.</summary>
public interface IRepair<TGenome>
{
    TGenome Repair(TGenome genome);
}
