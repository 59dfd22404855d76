using System.CommandLine;
using Stamen.Cli.Rendering;

namespace Stamen.Cli.Commands;

/// <summary>
/// Several scenarios in one process (`stamen compare a.yaml b.yaml`, `stamen simulate DIR -a NAME`): the arguments expand
/// to files (a folder to its *.yaml and *.yml files in name order), every scenario is read before any runs, and each
/// writes its result to <c>--out-dir</c> as NAME.json (its file name's stem), the JSON its own `--json` would write. One
/// scenario keeps the command's usual outputs, so a study pays the start-up once, not once per instance.
/// </summary>
internal static class ScenarioBatch
{
    /// <summary>Largest number of scenarios one command runs.</summary>
    public const int MaxScenarios = 100_000;

    public static Argument<string[]> Arguments(string description, bool required) => new("scenario")
    {
        Description = description + "; several files or a folder (its *.yaml files) run one after another, each writing DIR/NAME.json with --out-dir",
        Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore,
    };

    public static Option<string?> OutDir() => new("--out-dir")
    {
        Description = "With several scenarios: write each one's JSON results to DIR/NAME.json (NAME: the scenario file's name without extension)",
        HelpName = "DIR",
    };

    /// <summary>One scenario to run: its path (or a built-in name) and the name of its result file.</summary>
    public sealed record Item(string Scenario, string Name);

    /// <summary>
    /// The scenarios the arguments name, in order: a folder gives its *.yaml and *.yml files in ordinal name order, a
    /// built-in name (<paramref name="builtin"/>) itself; none gives <paramref name="none"/> (or an empty list).
    /// </summary>
    public static IReadOnlyList<Item> Expand(IReadOnlyList<string>? arguments, Func<string, bool> builtin, string? none)
    {
        var items = new List<Item>();
        foreach (var argument in arguments ?? [])
        {
            if (Directory.Exists(argument))
            {
                var files = Directory.EnumerateFiles(argument)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0)
                    throw new StamenInputException(argument, "(folder)", "holds no .yaml or .yml file", "give scenario files, or a folder of them");
                items.AddRange(files.Select(f => new Item(f, Path.GetFileNameWithoutExtension(f))));
            }
            else if (!File.Exists(argument) && builtin(argument)) items.Add(new Item(argument, argument));
            else items.Add(new Item(argument, Path.GetFileNameWithoutExtension(argument)));
            if (items.Count > MaxScenarios)
                throw new StamenInputException("(command line)", "scenario", $"names more than {MaxScenarios:N0} scenarios", "split the run into several commands");
        }
        if (items.Count == 0 && none is not null) items.Add(new Item(none, none));
        var clash = items.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (items.Count > 1 && clash is not null)
            throw new StamenInputException(string.Join(", ", clash.Select(i => i.Scenario).Distinct().Take(2)), "scenario",
                $"two scenarios would both write {clash.Key}.json", "give each scenario file its own name (or run them separately)");
        return items;
    }

    /// <summary>
    /// Checks the options of a run of several scenarios: they need --out-dir, and take no single-file output (each has
    /// its own JSON in the folder).
    /// </summary>
    public static void RequireBatchOptions(IReadOnlyList<Item> items, string? outDir, params (string Option, string? Value)[] singleFileOutputs)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count <= 1)
        {
            if (outDir is not null)
                throw new StamenInputException("(command line)", "--out-dir", "is for several scenarios", "use --json PATH for one scenario");
            return;
        }
        foreach (var (option, value) in singleFileOutputs)
            if (value is not null)
                throw new StamenInputException("(command line)", option, $"writes one file, and {items.Count} scenarios were given", "give --out-dir DIR for one JSON per scenario");
        if (outDir is null)
            throw new StamenInputException("(command line)", "--out-dir", $"is needed with {items.Count} scenarios", "give --out-dir DIR: each scenario writes DIR/NAME.json");
        if (File.Exists(outDir))
            throw new StamenInputException(outDir, "--out-dir", "is a file, not a folder", "give a folder (it is created if missing)");
    }

    /// <summary>Runs each item, reading every scenario first, so a bad one stops the batch before the folder is even made.</summary>
    /// <param name="load">Reads one scenario (throws on bad input).</param>
    /// <param name="run">Runs one loaded scenario, given its JSON path (null for a single scenario: the command's own outputs).</param>
    public static int Run<T>(CliConsole console, IReadOnlyList<Item> items, string? outDir, Func<Item, T> load, Func<T, string?, int> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 1) return run(load(items[0]), null);
        var loaded = items.Select(load).ToList();
        try
        {
            Directory.CreateDirectory(outDir!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StamenInputException(outDir!, "--out-dir", $"cannot create the folder: {e.Message}", "give a folder you can write");
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < items.Count; i++)
        {
            console.Out.Heading($"{items[i].Name} ({i + 1} of {items.Count})");
            var code = run(loaded[i], Path.Combine(outDir!, items[i].Name + ".json"));
            if (code != 0) return code;
        }
        console.Out.Note(System.FormattableString.Invariant($"{items.Count} scenarios in {clock.Elapsed.TotalSeconds:F1} s; results in {outDir}"));
        return 0;
    }
}
