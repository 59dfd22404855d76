namespace Stamen.Learning;

/// <summary>What a tree or forest predicts.</summary>
public enum TreeTask
{
    /// <summary>A real number; splits minimise the summed squared error, a leaf holds the mean.</summary>
    Regression,

    /// <summary>
    /// A binary 0/1 target; splits minimise the weighted Gini impurity, a leaf holds the fraction of 1s,
    /// so predictions are probabilities (a starvation classifier wants the risk, not only the verdict).
    /// </summary>
    Classification,
}
