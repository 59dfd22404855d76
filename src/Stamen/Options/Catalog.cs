using System.Collections.Immutable;
using System.Globalization;

namespace Stamen.Options;

/// <summary>An option as a scenario file wrote it, before validation.</summary>
/// <param name="Name">Key as written.</param>
/// <param name="Scalar">A single value, or null for a list.</param>
/// <param name="List">A list of scalars, or null.</param>
/// <param name="Field">Path and line for errors, e.g. <c>algorithms[1].placement.rebalance (line 12)</c>.</param>
public sealed record RawOption(string Name, string? Scalar, IReadOnlyList<string>? List, string Field);

/// <summary>One thing wrong with a scenario's input; several are reported together.</summary>
public sealed record InputProblem(string Field, string Problem, string Fix);

/// <summary>A catalog entry chosen by name with its validated options: what scenario files and results carry.</summary>
public sealed record ComponentChoice(string Name, OptionValues Options)
{
    /// <summary>The name, with the options that differ from the entry's defaults in braces.</summary>
    public override string ToString()
    {
        var changed = Options.Describe();
        return changed.Length == 0 ? Name : $"{Name} {{{changed}}}";
    }
}

/// <summary>
/// One algorithm of a family (a placement planner, a router, an admission policy, ...): its name,
/// one line of description, its options with defaults, and how to build it from validated options.
/// A preset is an entry that reuses another's builder with other defaults (e.g. PETALS without
/// rebalancing), so a name that only encodes an option value stays a name users can type.
/// </summary>
/// <typeparam name="T">What the entry builds.</typeparam>
public sealed record CatalogEntry<T>(string Name, string Description, IReadOnlyList<OptionSpec> Options, Func<OptionValues, T> Build)
{
    /// <summary>The entry this one is a preset of, or null.</summary>
    public string? PresetOf { get; init; }

    /// <summary>Solves an NP-hard model exactly: a few servers and a short model only.</summary>
    public bool SmallInstancesOnly { get; init; }

    /// <summary>Reproduces a published simulator's rules (a baseline as published), not an algorithm of its own.</summary>
    public bool Reproduction { get; init; }

    public OptionValues Defaults => OptionValues.DefaultsOf(Options);

    /// <summary>A preset: this entry's builder and options with some defaults changed.</summary>
    /// <param name="defaults">Option name and new default, as a scenario file would write it (checked here).</param>
    public CatalogEntry<T> Preset(string name, string description, params (string Option, string Value)[] defaults)
    {
        var specs = Options.ToList();
        foreach (var (option, value) in defaults)
        {
            var i = specs.FindIndex(s => s.Name == option);
            if (i < 0) throw new ArgumentException($"Preset {name}: {Name} has no option '{option}'.", nameof(defaults));
            var problems = new List<InputProblem>();
            OptionValidator.Check(specs[i], new RawOption(option, value, null, option), problems);
            if (problems.Count > 0) throw new ArgumentException($"Preset {name}: {problems[0].Problem}.", nameof(defaults));
            specs[i] = specs[i] with { Default = value };
        }
        return this with { Name = name, Description = description, Options = specs, PresetOf = PresetOf ?? Name };
    }

    /// <summary>Builds the entry at its defaults.</summary>
    public T Create() => Build(Defaults);
}

/// <summary>
/// The one table of a family of algorithms. Every family (placement, routing, admission) uses this
/// type, so lookups, option validation, error messages and the `stamen catalog` listing behave the
/// same everywhere. Names are case-insensitive.
/// </summary>
/// <typeparam name="T">What the entries build.</typeparam>
public sealed class Catalog<T>
{
    private readonly ImmutableArray<CatalogEntry<T>> _entries;

    /// <param name="family">Plural noun for messages, e.g. "placement planners".</param>
    /// <param name="command">The `stamen catalog` listing that shows them, e.g. "placements".</param>
    public Catalog(string family, string command, IEnumerable<CatalogEntry<T>> entries)
    {
        Family = family;
        Command = command;
        _entries = [.. entries];
        var duplicate = _entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Catalog of {family} lists '{duplicate.Key}' twice.", nameof(entries));
    }

    public string Family { get; }
    public string Command { get; }
    public IReadOnlyList<CatalogEntry<T>> All => _entries;
    public IEnumerable<string> Names => _entries.Select(e => e.Name);

    public bool Contains(string name) => TryFind(name) is not null;

    public CatalogEntry<T>? TryFind(string name) =>
        _entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <exception cref="StamenInputException">No entry has that name; the message lists the valid ones.</exception>
    public CatalogEntry<T> Find(string name, string file = "(input)", string field = "(name)") =>
        TryFind(name) ?? throw new StamenInputException(file, field, $"unknown {Singular} '{name}'", UseOneOf);

    /// <summary>The entry at its defaults, as a choice.</summary>
    public ComponentChoice Default(string name)
    {
        var entry = Find(name);
        return new(entry.Name, entry.Defaults);
    }

    /// <summary>Builds what <paramref name="choice"/> names with its options.</summary>
    public T Create(ComponentChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return Find(choice.Name).Build(choice.Options);
    }

    /// <summary>
    /// Validates <paramref name="raw"/> options for entry <paramref name="name"/>, adding every
    /// problem found to <paramref name="problems"/>; null when the name is unknown or an option is bad.
    /// </summary>
    /// <param name="start">Values to start from (a base algorithm's), or null for the entry's defaults.</param>
    public ComponentChoice? Choose(string name, string field, IReadOnlyList<RawOption> raw, List<InputProblem> problems, OptionValues? start = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(problems);
        var entry = TryFind(name);
        if (entry is null)
        {
            problems.Add(new InputProblem(field, $"unknown {Singular} '{name}'", UseOneOf));
            return null;
        }
        var values = start ?? entry.Defaults;
        var before = problems.Count;
        foreach (var option in raw)
        {
            var spec = entry.Options.FirstOrDefault(s => s.Name == option.Name);
            if (spec is null)
            {
                problems.Add(new InputProblem(option.Field, $"'{option.Name}' is not an option of {entry.Name}",
                    entry.Options.Count == 0 ? $"{entry.Name} takes no options; remove it"
                        : $"use one of: {string.Join(", ", entry.Options.Select(o => o.Name))} (`stamen catalog {Command}`)"));
                continue;
            }
            if (OptionValidator.Check(spec, option, problems) is { } value) values = values.With(spec.Name, value);
        }
        return problems.Count > before ? null : new ComponentChoice(entry.Name, values);
    }

    private string Singular => Family.EndsWith('s') ? Family[..^1] : Family;

    private string UseOneOf => $"use one of: {string.Join(", ", Names)} (`stamen catalog {Command}`)";
}

/// <summary>Checks one raw option against its spec; every message names the field and the allowed values.</summary>
internal static class OptionValidator
{
    public static OptionValue? Check(OptionSpec spec, RawOption raw, List<InputProblem> problems)
    {
        if (raw.List is { } list)
        {
            if (spec.Kind != OptionKind.ChoiceOrNames)
                return Fail(problems, raw, "expected a single value, not a list", $"write one of: {spec.AllowedText}");
            if (list.Count == 0) return Fail(problems, raw, "the list is empty", "list at least one name, or write one of: " + string.Join(", ", spec.Choices));
            var twice = list.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null) return Fail(problems, raw, $"'{twice.Key}' is listed twice", "list each name once");
            return new OptionValue(null, [.. list]);
        }
        var text = raw.Scalar ?? "";
        switch (spec.Kind)
        {
            case OptionKind.Bool:
                return text.ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" => new OptionValue("true", null),
                    "false" or "no" or "off" => new OptionValue("false", null),
                    _ => Fail(problems, raw, $"'{text}' is not true or false", "write true or false"),
                };
            case OptionKind.WholeNumber:
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
                    return Fail(problems, raw, $"'{text}' is not a whole number", $"write a whole number in {spec.AllowedText}");
                if (i < spec.Min || i > spec.Max)
                    return Fail(problems, raw, $"{i} is out of range", $"use a whole number in {spec.AllowedText}");
                return new OptionValue(i.ToString(CultureInfo.InvariantCulture), null);
            case OptionKind.Number:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                    return Fail(problems, raw, $"'{text}' is not a number", $"write a number in {spec.AllowedText}{UnitText(spec)}");
                if (d < spec.Min || d > spec.Max)
                    return Fail(problems, raw, $"{d.ToString(CultureInfo.InvariantCulture)} is out of range", $"use a number in {spec.AllowedText}{UnitText(spec)}");
                return new OptionValue(d.ToString("R", CultureInfo.InvariantCulture), null);
            default:
                var match = spec.Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                return match is not null ? new OptionValue(match, null)
                    : Fail(problems, raw, $"'{text}' is not allowed", $"use one of: {spec.AllowedText}");
        }
    }

    private static string UnitText(OptionSpec spec) => spec.Unit is null ? "" : $" ({spec.Unit})";

    private static OptionValue? Fail(List<InputProblem> problems, RawOption raw, string problem, string fix)
    {
        problems.Add(new InputProblem(raw.Field, problem, fix));
        return null;
    }
}
