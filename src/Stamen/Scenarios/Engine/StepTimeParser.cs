using Stamen.Options;
using Stamen.Simulation.Engine;
using YamlDotNet.RepresentationModel;

namespace Stamen.Scenarios.Engine;

/// <summary>
/// Reads a scenario's <c>step_time:</c> through <see cref="StepTimeCatalog"/>: a name
/// (<c>step_time: llama-3.1-8b-h100-published</c>), a name with options
/// (<c>{name: llama-3.1-8b-h100, prefill_ms_per_token: 0}</c>), or the older nested forms
/// (<c>{roofline: {...}}</c>, <c>{fitted: {preset: NAME}}</c>, <c>{fitted: {c1_ms, c2_ms, prefill_ms_per_token}}</c>),
/// which still mean what they meant. Every bad option is reported at once.
/// </summary>
internal static class StepTimeParser
{
    public static (IStepTimeModel Model, string Label)? Parse(YamlFields y, string key, EngineConfig config)
    {
        var node = y.Find(key);
        if (node is null) return null;
        var (name, options, field) = node switch
        {
            YamlScalarNode => (y.OptString(key)!.Trim(), new List<RawOption>(), y.FieldPath(key)),
            YamlMappingNode => FromMap(y.OptMap(key)!),
            _ => throw y.Error(key, "expected a name or a mapping", "write e.g. `step_time: llama-3.1-8b-h100` or `step_time: {name: roofline, prefill_mfu: 0.4}`"),
        };
        var problems = new List<InputProblem>();
        var choice = StepTimeCatalog.Models.Choose(name, $"{field} (line {node.Start.Line})", options, problems);
        if (choice is not null && StepTimeCatalog.Models.Find(choice.Name) is { } entry && (entry.PresetOf ?? entry.Name) == "fitted")
            foreach (var required in new[] { "c1_ms", "c0_ms" })
                if (choice.Options.NumberOrNull(required) is null)
                    problems.Add(new InputProblem($"{field} (line {node.Start.Line})", $"the fitted line needs {required}",
                        $"give {required}, or name a preset such as llama-3.1-8b-h100 (`stamen catalog step-times`)"));
        if (choice is null || problems.Count > 0) throw StamenInputException.Many(y.File, [.. problems.Select(p => (p.Field, p.Problem, p.Fix))]);
        return StepTimeCatalog.Create(choice, config);
    }

    private static (string Name, List<RawOption> Options, string Field) FromMap(YamlFields s)
    {
        if (s.Has("name")) return (s.RequireString("name", "name a step-time model or preset (`stamen catalog step-times`)"), s.RawOptions("name"), s.FieldPath("name"));
        s.AllowOnly("roofline", "fitted");
        if (s.Has("roofline") == s.Has("fitted"))
            throw s.Error(s.Has("roofline") ? "fitted" : "roofline", "give exactly one step-time model", "write `name: NAME` with its options (`stamen catalog step-times`)");
        if (s.Has("roofline"))
        {
            var r = s.OptMap("roofline") ?? throw s.Error("roofline", "expected a mapping of options", "write `roofline: {prefill_mfu: 0.4, decode_mfu: 0.2, mbu: 0.8}`");
            return ("roofline", r.RawOptions(), s.FieldPath("roofline"));
        }
        var f = s.OptMap("fitted") ?? throw s.Error("fitted", "expected a mapping of fields", "write `fitted: {preset: llama-3.1-8b-h100}` or `name: fitted` with c1_ms and c0_ms");
        if (f.OptString("preset") is { } preset)
        {
            var rest = f.RawOptions("preset");
            if (rest.Count > 0) throw f.Error("preset", "a preset and coefficients are both given", "keep the preset or the coefficients, or write `name: PRESET` with the options to change");
            return (preset.Trim(), rest, f.FieldPath("preset"));
        }
        // The nested form predates the published count: c2_ms is c0 and c1 counts the batch, as it always did here.
        var options = f.RawOptions().Select(o => o.Name == "c2_ms" ? o with { Name = "c0_ms" } : o).ToList();
        if (!options.Any(o => o.Name == "counts")) options.Add(new RawOption("counts", "batch", null, f.FieldPath("counts")));
        return ("fitted", options, s.FieldPath("fitted"));
    }
}
