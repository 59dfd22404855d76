namespace Stamen.Bench;

/// <summary>One line of the report: a timed case and the figures derived from it.</summary>
/// <param name="Group">planner or twin.</param>
/// <param name="Case">What was timed.</param>
/// <param name="Size">Instance size in words (servers, requests).</param>
/// <param name="MedianMs">Median wall time of the timed repetitions.</param>
/// <param name="MinMs">Fastest repetition.</param>
/// <param name="Repetitions">Timed repetitions (after one warm-up, unless the case says otherwise).</param>
/// <param name="Figures">Derived figures (tokens/s, events/s, plan figures), by name.</param>
/// <param name="Note">Anything the figures do not say (caps, timeouts).</param>
public sealed record BenchRow(string Group, string Case, string Size, double MedianMs, double MinMs, int Repetitions,
    IReadOnlyDictionary<string, double> Figures, string Note = "");
