using System.Globalization;

namespace Stamen.Options;

/// <summary>What kind of value an option takes.</summary>
public enum OptionKind
{
    /// <summary>true or false.</summary>
    Bool,

    /// <summary>A whole number within [Min, Max].</summary>
    WholeNumber,

    /// <summary>A finite number within [Min, Max].</summary>
    Number,

    /// <summary>One of <see cref="OptionSpec.Choices"/>.</summary>
    Choice,

    /// <summary>One of <see cref="OptionSpec.Choices"/>, or a list of names (e.g. servers in join order).</summary>
    ChoiceOrNames,
}

/// <summary>
/// One option of a catalog entry: its name as scenario files write it, kind, default, bounds and
/// unit. A null <see cref="Default"/> means "not set" (the algorithm then derives the value, e.g.
/// CG-BP sizes R from the load), which the catalog listing shows as <c>auto</c>.
/// </summary>
/// <param name="Name">Key in a scenario file (snake_case).</param>
/// <param name="Kind">Value kind.</param>
/// <param name="Default">Default as written in a scenario file, or null for "derived".</param>
/// <param name="Description">One line for `stamen catalog`.</param>
public sealed record OptionSpec(string Name, OptionKind Kind, string? Default, string Description)
{
    /// <summary>Unit of a number (ms, s, tokens/s, ...), shown by `stamen catalog`.</summary>
    public string? Unit { get; init; }

    /// <summary>Smallest allowed number (inclusive).</summary>
    public double Min { get; init; } = double.NegativeInfinity;

    /// <summary>Largest allowed number (inclusive); every number has one so no input can ask for unbounded work.</summary>
    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>Allowed words of a <see cref="OptionKind.Choice"/> or <see cref="OptionKind.ChoiceOrNames"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    public static OptionSpec Flag(string name, bool value, string description) =>
        new(name, OptionKind.Bool, value ? "true" : "false", description);

    public static OptionSpec WholeNumber(string name, int? value, int min, int max, string description, string? unit = null) =>
        new(name, OptionKind.WholeNumber, value?.ToString(CultureInfo.InvariantCulture), description) { Min = min, Max = max, Unit = unit };

    public static OptionSpec Number(string name, double? value, double min, double max, string description, string? unit = null) =>
        new(name, OptionKind.Number, value?.ToString("R", CultureInfo.InvariantCulture), description) { Min = min, Max = max, Unit = unit };

    public static OptionSpec Choice(string name, string value, IReadOnlyList<string> choices, string description) =>
        new(name, OptionKind.Choice, value, description) { Choices = choices };

    /// <summary>What `stamen catalog` prints as the allowed values.</summary>
    public string AllowedText => Kind switch
    {
        OptionKind.Bool => "true, false",
        OptionKind.WholeNumber or OptionKind.Number => RangeText(),
        OptionKind.Choice => string.Join(", ", Choices),
        _ => string.Join(", ", Choices) + ", or a list of names",
    };

    private string RangeText()
    {
        var min = double.IsNegativeInfinity(Min) ? "" : Min.ToString("0.##########", CultureInfo.InvariantCulture);
        var max = double.IsPositiveInfinity(Max) ? "" : Max.ToString("0.##########", CultureInfo.InvariantCulture);
        return $"{min}..{max}";
    }
}
