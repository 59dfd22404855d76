namespace Stamen.Learning;

/// <summary>How far one CART tree may grow.</summary>
/// <param name="MaxDepth">Most splits from the root to a leaf; null grows until leaves are pure or too small; 0 is the mean (or base-rate) predictor.</param>
/// <param name="MinSamplesSplit">Fewest rows a node needs to be split (at least 2).</param>
/// <param name="MinSamplesLeaf">Fewest rows each side of a split must keep (at least 1); larger values smooth a regression tree.</param>
/// <param name="MaxFeatures">Features drawn at random and tried at each split; null tries all. Drawing fewer decorrelates a forest's trees.</param>
public sealed record TreeOptions(int? MaxDepth = null, int MinSamplesSplit = 2, int MinSamplesLeaf = 1, int? MaxFeatures = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming every bad option at once.</summary>
    internal void Validate(int featureCount)
    {
        var problems = new List<string>();
        if (MaxDepth < 0) problems.Add($"MaxDepth is {MaxDepth}; it must be at least 0 (or null for no limit)");
        if (MinSamplesSplit < 2) problems.Add($"MinSamplesSplit is {MinSamplesSplit}; it must be at least 2");
        if (MinSamplesLeaf < 1) problems.Add($"MinSamplesLeaf is {MinSamplesLeaf}; it must be at least 1");
        if (MaxFeatures is { } k && (k < 1 || k > featureCount))
            problems.Add($"MaxFeatures is {k}; it must lie in 1..{featureCount} (the feature count) or be null for all");
        if (problems.Count > 0) throw new ArgumentException("invalid tree options: " + string.Join("; ", problems));
    }
}

/// <summary>A random forest: bagged CART trees that each try a random subset of features per split.</summary>
/// <param name="Trees">Number of trees (the published throughput model uses 256).</param>
/// <param name="MaxFeatures">Features tried per split; null applies the square-root rule, max(1, floor(sqrt(features))), 2 of 7.</param>
/// <param name="Bootstrap">Train each tree on n rows drawn with replacement; false gives every tree all rows (trees then differ only by feature draws).</param>
/// <param name="MaxDepth">Depth limit of each tree; null grows them fully, as a forest usually does (averaging removes their variance).</param>
/// <param name="MinSamplesLeaf">Fewest rows in a leaf of each tree.</param>
/// <param name="MinSamplesSplit">Fewest rows a node needs to be split.</param>
/// <param name="Seed">Forest seed; tree i uses <see cref="Simulation.SeedStreams.Derive"/>(Seed, i), so the forest does not depend on thread scheduling.</param>
/// <param name="MaxDegreeOfParallelism">Threads training trees; null lets the runtime choose. Does not change the result.</param>
public sealed record ForestOptions(
    int Trees = 256,
    int? MaxFeatures = null,
    bool Bootstrap = true,
    int? MaxDepth = null,
    int MinSamplesLeaf = 1,
    int MinSamplesSplit = 2,
    int Seed = 0,
    int? MaxDegreeOfParallelism = null)
{
    /// <summary>The square-root rule's feature count for <paramref name="featureCount"/> features.</summary>
    public static int SqrtFeatures(int featureCount) => Math.Max(1, (int)Math.Sqrt(featureCount));

    /// <summary>The options each tree is grown with.</summary>
    internal TreeOptions TreeOptions(int featureCount) =>
        new(MaxDepth, MinSamplesSplit, MinSamplesLeaf, MaxFeatures ?? SqrtFeatures(featureCount));

    internal void Validate(int featureCount)
    {
        var problems = new List<string>();
        if (Trees < 1) problems.Add($"Trees is {Trees}; it must be at least 1");
        if (MaxDegreeOfParallelism < 1) problems.Add($"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; it must be at least 1 (or null)");
        if (problems.Count > 0) throw new ArgumentException("invalid forest options: " + string.Join("; ", problems));
        TreeOptions(featureCount).Validate(featureCount);
    }
}
