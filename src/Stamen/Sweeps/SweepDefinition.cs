using YamlDotNet.RepresentationModel;

namespace Stamen.Sweeps;

/// <summary>
/// A study as data: a base scenario (or several), axes over its fields, the algorithms, the Monte Carlo runs and the
/// metrics to keep. <see cref="SweepPlanner"/> expands it into cells.
/// </summary>
/// <param name="Name">Sweep name (reports, job names).</param>
/// <param name="File">The sweep file, for errors.</param>
/// <param name="Family">Scenario family (<see cref="Families.SweepFamilyCatalog"/>).</param>
/// <param name="Bases">Base scenarios; more than one is an outermost axis named <c>base</c>.</param>
/// <param name="Axes">Axes in file order; the last varies fastest.</param>
/// <param name="Algorithms">Replaces the base's algorithm list (the family's field), entries as written; null keeps the base's.</param>
/// <param name="Seed">Replaces the base's seed; null keeps it.</param>
/// <param name="Runs">Monte Carlo runs per cell; null: the base's (or 1 where the family has none).</param>
/// <param name="Metrics">Metric columns to keep; null keeps all.</param>
public sealed record SweepDefinition(string Name, string File, string Family, IReadOnlyList<SweepBase> Bases, IReadOnlyList<SweepAxis> Axes,
    IReadOnlyList<YamlNode>? Algorithms, int? Seed, int? Runs, IReadOnlyList<string>? Metrics)
{
    /// <summary>Fields every cell sets to one value (<c>set:</c>), applied before the axes; a null value removes the field.</summary>
    public IReadOnlyList<KeyValuePair<string, YamlNode?>> Set { get; init; } = [];
}

/// <summary>A base scenario: its text and where its relative paths start.</summary>
/// <param name="Label">As the sweep file wrote it (a path relative to the sweep file, or a built-in name); part of cell ids.</param>
/// <param name="File">Full path, or the built-in's name, for errors.</param>
public sealed record SweepBase(string Label, string Text, string File, string BaseDirectory);

/// <summary>One axis: a name (its results column), the field paths it sets (several for a zipped axis) and its values.</summary>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Paths, IReadOnlyList<SweepAxisValue> Values)
{
    /// <summary>An axis of whole numbers over one path (what a command's list option becomes).</summary>
    public static SweepAxis Numbers(string name, string path, IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new SweepAxis(name, [path], [.. values.Select(v =>
        {
            var text = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new SweepAxisValue(text, [new YamlScalarNode(text)], v);
        })]);
    }

    /// <summary>Whether every value is a number (a numeric results column).</summary>
    public bool Numeric => Values.All(v => v.Number is not null);
}

/// <summary>One value of an axis: what each of its paths is set to (null removes the field), its label and its number if it is one.</summary>
public sealed record SweepAxisValue(string Label, IReadOnlyList<YamlNode?> Nodes, double? Number);
