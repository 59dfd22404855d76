using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Stamen.Catalogs;

/// <summary>
/// Reads catalog YAML (snake_case keys) from the embedded built-in files or a user's file, and
/// turns YamlDotNet's parse errors into <see cref="StamenInputException"/>s that name the file
/// and line, so a typo in a user catalog reads as one clear line.
/// </summary>
internal static class CatalogYaml
{
    private static readonly IDeserializer Deserializer = new StaticDeserializerBuilder(new CatalogYamlContext())
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Text of <c>Catalogs/<paramref name="fileName"/></c> embedded in this assembly.</summary>
    public static string ReadEmbedded(string fileName)
    {
        var resource = "Stamen.Catalogs." + fileName;
        using var stream = typeof(CatalogYaml).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Largest user catalog read (the built-in ones are a few KiB).</summary>
    private const long MaxUserFileBytes = 16 << 20;

    /// <summary>Text of a user's file, or an input error naming it when it cannot be read.</summary>
    public static string ReadUserFile(string path, string what)
    {
        var text = Stamen.IO.BoundedFile.ReadAllText(path, MaxUserFileBytes, what);
        Stamen.IO.YamlDepth.Check(text, path);
        return text;
    }

    /// <summary>Parses <paramref name="yaml"/> into <typeparamref name="T"/>; errors name <paramref name="source"/> and the line.</summary>
    public static T Parse<T>(string yaml, string source) where T : new()
    {
        try
        {
            return Deserializer.Deserialize<T>(yaml) ?? new T();
        }
        catch (YamlException e)
        {
            var problem = (e.InnerException ?? e).Message;
            throw new StamenInputException(source,
                string.Create(CultureInfo.InvariantCulture, $"line {e.Start.Line}, column {e.Start.Column}"),
                problem.TrimEnd('.'), "check the key names (snake_case) and value types against the built-in catalog");
        }
    }

    /// <summary>The value, or an input error saying the field is required.</summary>
    public static T Required<T>(T? value, string source, string field) where T : struct =>
        value ?? throw new StamenInputException(source, field, "missing", $"add {field}");

    /// <summary>A strictly positive number of at most <paramref name="max"/>, or an input error naming the field.</summary>
    /// <param name="max">Largest sensible value (default 1e18: above any FLOP rate or byte count a catalog holds).</param>
    public static double Positive(double? value, string source, string field, double max = 1e18)
    {
        var v = Required(value, source, field);
        if (!(v > 0) || double.IsInfinity(v))
            throw new StamenInputException(source, field,
                string.Create(CultureInfo.InvariantCulture, $"must be a positive number, got {v}"), "use a value above 0");
        if (v > max)
            throw new StamenInputException(source, field, string.Create(CultureInfo.InvariantCulture, $"{v} is too large"),
                string.Create(CultureInfo.InvariantCulture, $"use a value of at most {max}"));
        return v;
    }

    /// <summary>A strictly positive integer, or an input error naming the field.</summary>
    public static int Positive(int? value, string source, string field)
    {
        var v = Required(value, source, field);
        if (v <= 0)
            throw new StamenInputException(source, field,
                string.Create(CultureInfo.InvariantCulture, $"must be a positive integer, got {v}"), "use a value above 0");
        return v;
    }

    /// <summary>A non-empty name, or an input error naming the field.</summary>
    public static string Name(string? value, string source, string field) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new StamenInputException(source, field, "missing", "give every entry a name")
            : value.Trim();
}
