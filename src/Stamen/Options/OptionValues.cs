using System.Collections.Immutable;
using System.Globalization;

namespace Stamen.Options;

/// <summary>One option's validated value: a word or number as text, or a list of names.</summary>
/// <param name="Text">The value as written (null: not set, or a list).</param>
/// <param name="Names">The names of a list value, else null.</param>
public sealed record OptionValue(string? Text, ImmutableArray<string>? Names)
{
    public override string ToString() => Names is { } n ? $"[{string.Join(", ", n)}]" : Text ?? "auto";
}

/// <summary>
/// The options of one catalog entry after validation: every option of the entry has a value
/// (its default unless the scenario set it), each already checked against its kind and bounds,
/// so the typed getters never fail on user input. Immutable.
/// </summary>
public sealed class OptionValues
{
    private readonly ImmutableSortedDictionary<string, OptionValue> _values;
    private readonly IReadOnlyList<OptionSpec> _specs;

    internal OptionValues(IReadOnlyList<OptionSpec> specs, ImmutableSortedDictionary<string, OptionValue> values)
    {
        _specs = specs;
        _values = values;
    }

    /// <summary>Every option at its default.</summary>
    public static OptionValues DefaultsOf(IReadOnlyList<OptionSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        return new(specs, specs.ToImmutableSortedDictionary(s => s.Name, s => new OptionValue(s.Default, null), StringComparer.Ordinal));
    }

    public IReadOnlyList<OptionSpec> Specs => _specs;

    public OptionValue this[string name] =>
        _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"No option '{name}'; options: {string.Join(", ", _values.Keys)}.", nameof(name));

    public bool Bool(string name) => this[name].Text == "true";

    public int WholeNumber(string name) => WholeNumberOrNull(name) ?? throw new InvalidOperationException($"Option '{name}' has no value.");

    public int? WholeNumberOrNull(string name) =>
        this[name].Text is { } t ? int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public double Number(string name) => NumberOrNull(name) ?? throw new InvalidOperationException($"Option '{name}' has no value.");

    public double? NumberOrNull(string name) =>
        this[name].Text is { } t ? double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    public string Choice(string name) => this[name].Text ?? throw new InvalidOperationException($"Option '{name}' has no value.");

    /// <summary>The names of a list value, or null when the option holds a word.</summary>
    public ImmutableArray<string>? Names(string name) => this[name].Names;

    /// <summary>The same values with <paramref name="name"/> set to <paramref name="value"/> (already valid).</summary>
    internal OptionValues With(string name, OptionValue value) => new(_specs, _values.SetItem(name, value));

    /// <summary>"name=value" for every option whose value differs from the entry's default, in name order.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        foreach (var (name, value) in _values)
            if (!SameValue(value, new OptionValue(_specs.First(s => s.Name == name).Default, null))) parts.Add($"{name}={value}");
        return string.Join(", ", parts);
    }

    private static bool SameValue(OptionValue a, OptionValue b) =>
        a.Text == b.Text && (a.Names is null ? b.Names is null : b.Names is { } bn && a.Names.Value.SequenceEqual(bn));
}
