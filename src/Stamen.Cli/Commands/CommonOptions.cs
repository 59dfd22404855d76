using System.CommandLine;

namespace Stamen.Cli.Commands;

/// <summary>Options that several commands share, built fresh per command (an option belongs to one parent).</summary>
internal static class CommonOptions
{
    public static Argument<string?> OptionalScenario() => new("scenario")
    {
        Description = "Scenario YAML file (omit for the built-in default scenario)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Argument<string> RequiredScenario() => new("scenario")
    {
        Description = "Scenario YAML file (`default` for the built-in one)",
    };

    public static Option<string?> Json() => new("--json")
    {
        Description = "Also write machine-readable results to this JSON file",
        HelpName = "PATH",
    };

    public static Option<string?> Report() => new("--report")
    {
        Description = "Also write an HTML report with charts to this file (one file, opens offline)",
        HelpName = "PATH.html",
    };

    /// <summary>Most Monte Carlo runs (as a scenario's `runs`).</summary>
    public const int MaxRuns = 10_000;

    public static Option<int?> Runs()
    {
        var runs = new Option<int?>("--runs")
        {
            Description = $"Monte Carlo runs, 1..{MaxRuns} (overrides the scenario's `runs`)",
            HelpName = "N",
        };
        runs.Validators.Add(result =>
        {
            // Read the token, not the value: a token that is not a number already has its own parse error.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is < 1 or > MaxRuns)
                result.AddError($"--runs {n}: give 1..{MaxRuns} Monte Carlo runs");
        });
        return runs;
    }

    public static Option<int?> Seed() => new("--seed")
    {
        Description = "Base seed (overrides the scenario's `seed`); same seed, same numbers",
        HelpName = "N",
    };

    public static Option<bool> WithoutFixedDelays() => new("--without-fixed-delays")
    {
        Description = "Drop the fixed per-request delays (session start, allocation) to see the model alone",
    };

    public static Option<string> Algorithm() => new("--algorithm", "-a")
    {
        Description = "Algorithm name (`stamen catalog algorithms`, or one defined in the scenario)",
        Required = true,
        HelpName = "NAME",
    };

    public static Option<bool> Quiet() => new("--quiet", "-q")
    {
        Description = "No progress display",
    };
}
