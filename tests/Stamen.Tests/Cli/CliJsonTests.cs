using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Stamen.Cli.Rendering;
using Stamen.Optimization.Milp;
using Stamen.Reporting;

namespace Stamen.Tests.Cli;

/// <summary>
/// The command's JSON goes only through the generated context <see cref="CliJson"/> (what the Native AOT build can serve):
/// every enum it reaches is written as a kebab-case name, and a type outside it fails loudly rather than by reflection.
/// </summary>
public sealed class CliJsonTests
{
    /// <summary>Every type reachable from the context's roots: properties, list elements, dictionary values, derived charts.</summary>
    private static HashSet<Type> Reachable()
    {
        var roots = typeof(CliJson).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToList();
        Assert.True(roots.Count >= 30, $"only {roots.Count} root types found on CliJson");
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type)) continue;
            var info = JsonOutput.Options.GetTypeInfo(type);
            foreach (var p in info.Properties) pending.Push(p.PropertyType);
            if (info.ElementType is { } element) pending.Push(element);
            if (info.KeyType is { } key) pending.Push(key);
            foreach (var derived in info.PolymorphismOptions?.DerivedTypes ?? []) pending.Push(derived.DerivedType);
            if (Nullable.GetUnderlyingType(type) is { } under) pending.Push(under);
        }
        return seen;
    }

    [Fact]
    public void Every_enum_the_json_reaches_has_its_own_string_converter()
    {
        var enums = Reachable().Where(t => t.IsEnum).ToHashSet();
        // Guard: the walk found the enums it must (a chart axis's scale, a MILP's status).
        Assert.Contains(typeof(AxisScale), enums);
        Assert.Contains(typeof(MilpStatus), enums);
        var converted = JsonOutput.Options.Converters
            .Select(c => c.GetType())
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(JsonStringEnumConverter<>))
            .Select(t => t.GetGenericArguments()[0])
            .ToHashSet();
        var missing = enums.Except(converted).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "enums written as numbers (add them to CliJson.EnumConverters): " + string.Join(", ", missing));
        var unused = converted.Except(enums).Select(t => t.FullName).ToList();
        Assert.True(unused.Count == 0, "converters for enums no JSON holds: " + string.Join(", ", unused));
    }

    [Fact]
    public void Enums_are_written_as_kebab_case_names()
    {
        var axis = new Axis("load", "req/s", AxisScale.Log);
        var json = JsonSerializer.Serialize(axis, JsonOutput.TypeInfo<Axis>());
        Assert.Contains("\"scale\": \"log\"", json, StringComparison.Ordinal);
        Assert.Equal("\"no-solution-found\"", JsonSerializer.Serialize(MilpStatus.NoSolutionFound, (JsonTypeInfo<MilpStatus>)JsonOutput.Options.GetTypeInfo(typeof(MilpStatus))));
    }

    [Fact]
    public void A_type_outside_the_context_is_refused_not_written_by_reflection()
    {
        var e = Assert.Throws<NotSupportedException>(() => JsonOutput.Options.GetTypeInfo(new { a = 1 }.GetType()));
        Assert.Contains("TypeInfoResolver", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_project_turns_reflection_based_json_off()
    {
        // The switch is the app's (runtimeconfig); this test host keeps its own, so read the command's built config.
        var config = Path.Combine(Path.GetDirectoryName(typeof(JsonOutput).Assembly.Location)!, "stamen.runtimeconfig.json");
        Assert.True(File.Exists(config), config);
        using var doc = JsonDocument.Parse(File.ReadAllText(config));
        var options = doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(options.GetProperty("System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault").GetBoolean());
    }
}
