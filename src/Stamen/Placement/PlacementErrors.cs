namespace Stamen.Placement;

/// <summary>User-facing planner failures, worded once.</summary>
internal static class PlacementErrors
{
    public static StamenInputException ModelDoesNotFit(int numBlocks, long blocksHeld) =>
        new("(scenario)", "servers",
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the model's {numBlocks} blocks do not fit: the servers hold at most {blocksHeld} blocks"),
            "add servers or GPU memory, or choose a smaller model");
}
