namespace Stamen;

/// <summary>
/// Progress of long work (simulations, twin runs, planned cells): units finished out of the total.
/// In the root namespace because every layer that runs long work reports it, and none should need
/// the experiment runners for that.
/// </summary>
public readonly record struct ExperimentProgress(int Done, int Total);
