using System.Globalization;
using Stamen.Catalogs;
using Stamen.Options;

namespace Stamen.Simulation.Engine;

/// <summary>Builds a step-time model for one engine (the roofline needs its model and GPU).</summary>
public delegate IStepTimeModel StepTimeBuilder(EngineConfig config);

/// <summary>
/// Step-time models on the catalog pattern: <c>roofline</c> and <c>fitted</c> with their options, and
/// presets of them read from data (Catalogs/step-times.yaml: the published fitted coefficients
/// exactly as published, and Stamen's variants with a prefill term). Scenario files, the adapters
/// commands and `stamen catalog step-times` read this one table.
/// </summary>
public static class StepTimeCatalog
{
    /// <summary>How errors name the embedded presets.</summary>
    public const string BuiltInSource = "(built-in step-time presets)";

    private static readonly CatalogEntry<StepTimeBuilder> Roofline = new("roofline",
        "Roofline per iteration: prefill compute bound, decode the slower of compute and memory traffic (weights plus the KV read)",
        [
            OptionSpec.Number("prefill_mfu", RooflineStepTimeModel.DefaultPrefillMfu, 0.01, 1, "Model-FLOPs utilisation of prefill (the reference gives 0.3-0.45)"),
            OptionSpec.Number("decode_mfu", RooflineStepTimeModel.DefaultDecodeMfu, 0.01, 1, "Model-FLOPs utilisation of decode (0.1-0.3)"),
            OptionSpec.Number("mbu", RooflineStepTimeModel.DefaultMbu, 0.01, 1, "Memory-bandwidth utilisation (about 0.8 for tuned kernels)"),
        ],
        v => config => new RooflineStepTimeModel(config, v.Number("prefill_mfu"), v.Number("decode_mfu"), v.Number("mbu")));

    private static readonly CatalogEntry<StepTimeBuilder> Fitted = new("fitted",
        "Fitted line: ms = c1 x counted requests + c0 + prefill_ms_per_token x prefill tokens; c1 and c0 must be given (or take a preset)",
        [
            OptionSpec.Number("c1_ms", null, 0, 1e4, "Ms per counted request", "ms"),
            OptionSpec.Number("c0_ms", null, 1e-6, 1e5, "Fixed ms per iteration (above 0)", "ms"),
            OptionSpec.Choice("counts", "running", ["running", "batch"],
                "What c1 multiplies: every running request after scheduling (the published fit), or the requests computed this step"),
            OptionSpec.Number("prefill_ms_per_token", 0, 0, 1e3, "Stamen's prefill term, ms per prompt token computed (0: the published form has none)", "ms"),
        ],
        v => _ => new FittedStepTimeModel(
            v.NumberOrNull("c1_ms") ?? throw new InvalidOperationException("fitted step time without c1_ms (the parser checks this)"),
            v.NumberOrNull("c0_ms") ?? throw new InvalidOperationException("fitted step time without c0_ms (the parser checks this)"),
            v.Number("prefill_ms_per_token"),
            v.Choice("counts") == "batch" ? FittedCount.Batch : FittedCount.Running));

    private static readonly Lazy<(Catalog<StepTimeBuilder> Catalog, IReadOnlyList<StepTimePreset> Presets)> BuiltIn =
        new(() => Load(CatalogYaml.ReadEmbedded("step-times.yaml"), BuiltInSource));

    /// <summary>Every step-time model and preset.</summary>
    public static Catalog<StepTimeBuilder> Models => BuiltIn.Value.Catalog;

    /// <summary>The presets with the model and GPU they were measured on.</summary>
    public static IReadOnlyList<StepTimePreset> Presets => BuiltIn.Value.Presets;

    /// <summary>Builds the step time <paramref name="choice"/> names for an engine, with the label summaries print.</summary>
    public static (IStepTimeModel Model, string Label) Create(ComponentChoice choice, EngineConfig config)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var entry = Models.Find(choice.Name);
        return (Models.Create(choice)(config), Label(entry, choice));
    }

    /// <summary>
    /// The step time an engine of <paramref name="config"/> gets when nothing is said: the preset marked default
    /// for its model and GPU, else the roofline at its defaults.
    /// </summary>
    public static (IStepTimeModel Model, string Label) DefaultFor(EngineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var preset = Presets.FirstOrDefault(p => p.IsDefault
            && string.Equals(p.Model, config.Model.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Gpu, config.Gpu.Name, StringComparison.OrdinalIgnoreCase));
        return preset is null ? RooflineDefaults(config) : Create(Models.Default(preset.Name), config);
    }

    /// <summary>The roofline at its default utilisations.</summary>
    public static (IStepTimeModel Model, string Label) RooflineDefaults(EngineConfig config) =>
        (Models.Create(Models.Default(Roofline.Name))(config), "roofline (defaults)");

    /// <summary>A fitted preset's model at its defaults (tests and studies that need the fitted line itself).</summary>
    public static FittedStepTimeModel FittedPreset(string name)
    {
        var entry = Models.Find(name);
        if (entry.PresetOf != Fitted.Name) throw new ArgumentException($"'{name}' is not a fitted preset.", nameof(name));
        return (FittedStepTimeModel)entry.Create()(null!);
    }

    /// <summary>"fitted preset NAME" for a preset as it is, the roofline's utilisations, else the choice with its changed options.</summary>
    private static string Label(CatalogEntry<StepTimeBuilder> entry, ComponentChoice choice)
    {
        if (entry.Name == Roofline.Name)
            return string.Create(CultureInfo.InvariantCulture,
                $"roofline MFU {choice.Options.Number("prefill_mfu"):0.##}/{choice.Options.Number("decode_mfu"):0.##}, MBU {choice.Options.Number("mbu"):0.##}");
        if (entry.PresetOf is not null && choice.Options.Describe().Length == 0) return $"fitted preset {entry.Name}";
        var v = choice.Options;
        return string.Create(CultureInfo.InvariantCulture,
            $"fitted c1 {v.NumberOrNull("c1_ms"):0.#######} ms x {v.Choice("counts")}, c0 {v.NumberOrNull("c0_ms"):0.########} ms, prefill {v.Number("prefill_ms_per_token"):0.#####} ms/token{(entry.PresetOf is null ? "" : $" (from {entry.Name})")}");
    }

    internal static (Catalog<StepTimeBuilder>, IReadOnlyList<StepTimePreset>) Load(string yaml, string source)
    {
        var file = CatalogYaml.Parse<StepTimeCatalogFile>(yaml, source);
        var entries = new List<CatalogEntry<StepTimeBuilder>> { Roofline, Fitted };
        var presets = new List<StepTimePreset>();
        for (var k = 0; k < file.Presets.Count; k++)
        {
            var e = file.Presets[k];
            var at = string.Create(CultureInfo.InvariantCulture, $"presets[{k}].");
            var name = CatalogYaml.Name(e.Name, source, at + "name");
            var parent = entries.Take(2).FirstOrDefault(b => string.Equals(b.Name, e.Base, StringComparison.OrdinalIgnoreCase))
                ?? throw new StamenInputException(source, at + "base", $"'{e.Base}' is not a step-time model", "use fitted or roofline");
            if (entries.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)))
                throw new StamenInputException(source, at + "name", $"'{name}' appears twice", "keep one entry per name");
            var problems = new List<InputProblem>();
            var raw = e.Options.Select(o => new RawOption(o.Key, o.Value, null, at + "options." + o.Key)).ToList();
            if (parent.Name == Fitted.Name && !(e.Options.ContainsKey("c1_ms") && e.Options.ContainsKey("c0_ms")))
                problems.Add(new InputProblem(at + "options", "a fitted preset needs c1_ms and c0_ms", "give both coefficients"));
            if (Catalog(entries).Choose(parent.Name, at + "base", raw, problems) is not { } choice || problems.Count > 0)
                throw StamenInputException.Many(source, [.. problems.Select(p => (p.Field, p.Problem, p.Fix))]);
            var description = string.IsNullOrWhiteSpace(e.Description)
                ? throw new StamenInputException(source, at + "description", "missing", "say in one line what the preset is and where it comes from")
                : e.Description.Trim();
            entries.Add(parent.Preset(name, description, [.. choice.Options.Specs.Select(s => (s.Name, choice.Options[s.Name].Text!)).Where(x => x.Item2 is not null)]));
            presets.Add(new StepTimePreset(name, parent.Name, e.Model?.Trim(), e.Gpu?.Trim(), e.Default));
        }
        var twice = presets.Where(p => p.IsDefault).GroupBy(p => (p.Model?.ToUpperInvariant(), p.Gpu?.ToUpperInvariant())).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new StamenInputException(source, "presets", $"two presets are the default for {twice.Key.Item1} on {twice.Key.Item2}", "mark one default: true");
        return (Catalog(entries), presets);
    }

    private static Catalog<StepTimeBuilder> Catalog(IEnumerable<CatalogEntry<StepTimeBuilder>> entries) => new("step-time models", "step-times", entries);
}

/// <summary>A step-time preset and where it was measured.</summary>
/// <param name="Name">Catalog name.</param>
/// <param name="Base">The model it presets (fitted or roofline).</param>
/// <param name="Model">Catalog model it was measured for, or null.</param>
/// <param name="Gpu">Catalog GPU it was measured on, or null.</param>
/// <param name="IsDefault">The step time engines of that model on that GPU get when a scenario says nothing.</param>
public sealed record StepTimePreset(string Name, string Base, string? Model, string? Gpu, bool IsDefault);
