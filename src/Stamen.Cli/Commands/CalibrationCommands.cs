using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Stamen.Cli.Rendering;
using Stamen.IO;
using Stamen.Runtime.Calibration;
using Stamen.Runtime.Model;
using Stamen.Scenarios;

namespace Stamen.Cli.Commands;

/// <summary>`stamen profile` and `stamen validate`: this machine's constants for the twin, and the twin against a real swarm (issue 7).</summary>
internal static class CalibrationCommands
{
    private static Option<string> Preset() => new("--model")
    {
        Description = $"Runtime preset: {string.Join(", ", LlamaConfig.Presets.Keys)}",
        DefaultValueFactory = _ => "small-100m",
        HelpName = "NAME",
    };

    public static Command Profile(CliConsole console)
    {
        var model = Preset();
        var seed = new Option<int>("--seed") { Description = "Seed of the weights", DefaultValueFactory = _ => 1, HelpName = "N" };
        var output = new Option<string?>("--output", "-o") { Description = "Write a GPU-catalog entry (YAML) with the calibration", HelpName = "PATH" };
        var json = new Option<string?>("--json") { Description = "Write the profile as JSON (what `stamen validate --profile` reads)", HelpName = "PATH" };
        var command = new Command("profile", "Measure per-block decode and prefill time, client head time and per-hop overhead of the CPU runtime on this machine")
        {
            model, seed, output, json,
        };
        command.SetAction((p, ct) => CliRunner.RunAsync(console, async () =>
        {
            var name = p.GetValue(model)!;
            var config = Config(name);
            console.Out.Note($"Profiling {name} on this machine (about 15 s)...");
            var profile = await RuntimeProfiler.MeasureAsync(name, config, SeededWeights.Create(config, p.GetValue(seed)), cancellationToken: ct).ConfigureAwait(false);
            Write(console, profile);
            if (p.GetValue(output) is { } yaml)
            {
                AtomicFile.WriteAllText(yaml, profile.ToCatalogYaml($"cpu-{Environment.MachineName.ToLowerInvariant()}"));
                console.Out.Note($"Wrote {yaml}");
            }
            if (p.GetValue(json) is { } path)
            {
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(profile, ProfileJsonContext.Default.RuntimeProfile));
                console.Out.Note($"Wrote {path}");
            }
            return 0;
        }));
        return command;
    }

    public static Command Validate(CliConsole console)
    {
        var scenario = new Argument<string?>("scenario")
        {
            Description = "Swarm scenario to start for real (its model a runtime preset); omit for three chains given by --layout or the defaults",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var model = Preset();
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and the prompts", DefaultValueFactory = _ => 1, HelpName = "N" };
        var algorithms = new Option<string[]>("--algorithm", "-a")
        {
            Description = "With a scenario: validate only these of its algorithms (repeat; default: all)",
            HelpName = "NAME",
        };
        var run = new Option<int>("--run") { Description = "With a scenario: which Monte Carlo run's swarm to start", DefaultValueFactory = _ => 0, HelpName = "K" };
        var maxServers = new Option<int>("--max-servers")
        {
            Description = "With a scenario: refuse a placement needing more block servers than this on this machine",
            DefaultValueFactory = _ => 8,
            HelpName = "N",
        };
        var layouts = new Option<string[]>("--layout")
        {
            Description = "Without a scenario: block ranges of one chain, comma-separated (repeat for several placements); default: three placements of the model",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "A:B,B:C",
        };
        var rtts = new Option<string[]>("--rtt-ms") { Description = "Emulated round trip per server of the matching --layout, comma-separated", HelpName = "MS,MS" };
        var profileFile = new Option<string?>("--profile") { Description = "Profile JSON from `stamen profile --json` (default: measure now)", HelpName = "PATH" };
        var prompt = new Option<int>("--prompt-tokens") { Description = "Without a scenario: prompt length", DefaultValueFactory = _ => 32, HelpName = "N" };
        var tokens = new Option<int>("--new-tokens") { Description = "Without a scenario: tokens generated per request", DefaultValueFactory = _ => 16, HelpName = "N" };
        var requests = new Option<int>("--requests")
        {
            Description = "Requests per placement after one warm-up (with a scenario: its first N, each client warming up once)",
            DefaultValueFactory = _ => 5,
            HelpName = "N",
        };
        var json = CommonOptions.Json();
        var reportPath = CommonOptions.Report();
        var command = new Command("validate",
            "Run a real swarm on loopback with emulated round trips and the twin with this machine's profile; measured vs predicted first-token and per-token time")
        {
            scenario, model, seed, algorithms, run, maxServers, layouts, rtts, profileFile, prompt, tokens, requests, json, reportPath,
        };
        command.SetAction((p, ct) => CliRunner.RunAsync(console, async () =>
        {
            var file = p.GetValue(scenario);
            if (file is not null && (p.GetResult(layouts) is not null || p.GetResult(rtts) is not null || p.GetResult(model) is { Implicit: false }))
                throw new StamenInputException("(command line)", "--layout/--rtt-ms/--model", "are for chains given by hand; a scenario brings its model, placement and round trips",
                    "leave them out, or leave out the scenario");
            if (p.GetValue(requests) < 1 || p.GetValue(maxServers) < 1 || p.GetValue(run) < 0)
                throw new StamenInputException("(command line)", "--requests/--max-servers/--run", "requests and servers must be at least 1 and the run at least 0",
                    "give e.g. --requests 5");
            var definition = file is null ? null : BuiltinScenarios.Load(file);
            var config = definition is null ? Config(p.GetValue(model)!) : ScenarioValidation.ModelOf(definition);
            var resolver = definition is null ? null : ScenarioResolver.Create(definition, withoutFixedDelays: true);
            var name = resolver?.Model.Name ?? p.GetValue(model)!;
            var picked = resolver is null ? [] : (p.GetValue(algorithms) is { Length: > 0 } names ? [.. names.Select(resolver.FindAlgorithm)] : resolver.Algorithms);
            var resolved = resolver?.Resolve(p.GetValue(run));
            if (resolver is null && (p.GetValue(prompt) < 1 || p.GetValue(tokens) < 1 || p.GetValue(prompt) + p.GetValue(tokens) > config.MaxPositions))
                throw new StamenInputException("--prompt-tokens", "value", $"prompt and new tokens must be at least 1, and together at most {config.MaxPositions}",
                    "give e.g. --prompt-tokens 32 --new-tokens 16");
            if (p.GetValue(profileFile) is null) console.Out.Note($"Profiling {name} on this machine (about 15 s)...");
            var profile = p.GetValue(profileFile) is { } profilePath ? ReadProfile(profilePath)
                : await RuntimeProfiler.MeasureAsync(name, config, SeededWeights.Create(config, p.GetValue(seed)), cancellationToken: ct).ConfigureAwait(false);
            if (!string.Equals(profile.Model, name, StringComparison.Ordinal))
                throw new StamenInputException("--profile", profile.Model, $"was measured for {profile.Model}, not {name}", "profile this model first");
            Write(console, profile);
            var cases = resolver is not null
                ? ScenarioValidation.Build(resolver, resolved!, picked, config, profile, p.GetValue(requests), p.GetValue(maxServers))
                : HandGivenCases(p.GetValue(layouts) ?? [], p.GetValue(rtts) ?? [], config.Blocks, p.GetValue(prompt), p.GetValue(tokens), p.GetValue(requests));
            var results = new List<SwarmValidationResult>();
            foreach (var c in cases)
            {
                console.Out.Note($"[{results.Count + 1}/{cases.Count}] {c.Name}: starting {c.Servers.Count} servers ({c.Placement}), {c.Requests.Count} requests...");
                results.Add(await SwarmValidation.RunAsync(name, config, p.GetValue(seed), c, profile, ct).ConfigureAwait(false));
            }
            var shape = resolver is null ? $"{p.GetValue(prompt)}-token prompts, {p.GetValue(tokens)} new tokens" : $"{resolver.Definition.Name}, run {p.GetValue(run)}";
            var report = ValidationReport.Build(CommandText.Of(p), name, resolver?.Definition.Name, profile, results);
            console.Out.Write(ReportTableView.Console(ValidationReport.Table(results), rightAlignedFrom: 3, Markup.Escape($"{name}: measured vs twin ({shape})")));
            if (p.GetValue(json) is { } path)
            {
                JsonOutput.Write(path, new ValidationJson(name, resolver?.Definition.SourceFile, profile, results, report));
                console.Out.Note($"Wrote {path}");
            }
            if (p.GetValue(reportPath) is { } html) ReportOutput.Write(console.Out, html, report);
            return results.All(r => r.TokensEqualLocal) ? 0 : 1;
        }));
        return command;
    }

    private static List<ValidationCase> HandGivenCases(string[] layouts, string[] rtts, int blocks, int prompt, int tokens, int requests)
    {
        var chains = layouts.Length > 0
            ? layouts.Select((l, i) => (Ranges(l, blocks), Rtts(i < rtts.Length ? rtts[i] : "", Ranges(l, blocks).Count))).ToList()
            : DefaultCases(blocks);
        return [.. chains.Select((c, i) => SwarmValidation.Chain($"placement {i + 1}", c.Item1, c.Item2, prompt, tokens, requests))];
    }

    private static List<(List<BlockRange>, double[])> DefaultCases(int blocks)
    {
        var third = blocks / 3;
        var half = blocks / 2;
        return
        [
            ([new(0, blocks)], [20]),
            ([new(0, half), new(half, blocks)], [10, 40]),
            ([new(0, third), new(third, 2 * third), new(2 * third, blocks)], [5, 15, 30]),
        ];
    }

    private static List<BlockRange> Ranges(string text, int blocks)
    {
        var ranges = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => ListArguments.Range("--layout", part, blocks, "write ranges like 0:4,4:8,8:12")).ToList();
        for (var i = 0; i < ranges.Count; i++)
            if (ranges[i].Start != (i == 0 ? 0 : ranges[i - 1].End))
                throw new StamenInputException("--layout", text, "the ranges do not chain from block 0", $"cover 0:{blocks} in order without gaps, e.g. 0:4,4:{blocks}");
        if (ranges.Count == 0 || ranges[^1].End != blocks)
            throw new StamenInputException("--layout", text, $"does not reach block {blocks}", $"end the last range at {blocks}");
        return ranges;
    }

    private static double[] Rtts(string text, int servers)
    {
        if (text.Length == 0) return [.. Enumerable.Repeat(10.0, servers)];
        var values = ListArguments.Doubles("--rtt-ms", text, 0, exclusiveMin: false, "a round trip in ms", "give non-negative numbers, e.g. 10,20");
        return values.Length == servers ? values : throw new StamenInputException("--rtt-ms", text, $"has {values.Length} values for {servers} servers", "give one per range");
    }

    private static LlamaConfig Config(string name) =>
        LlamaConfig.Presets.TryGetValue(name, out var config) ? config
            : throw new StamenInputException("--model", name, "is not a runtime preset", $"use one of {string.Join(", ", LlamaConfig.Presets.Keys)}");

    private static RuntimeProfile ReadProfile(string path)
    {
        if (!File.Exists(path)) throw new StamenInputException(path, "(file)", "profile not found", "write one with `stamen profile --json PATH`");
        try
        {
            return JsonSerializer.Deserialize(Stamen.IO.BoundedFile.ReadAllText(path, Stamen.IO.BoundedFile.MaxTextBytes, "profile"), ProfileJsonContext.Default.RuntimeProfile) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new StamenInputException(path, "(file)", $"not a profile: {e.Message}", "write one with `stamen profile --json PATH`");
        }
    }

    private static void Write(CliConsole console, RuntimeProfile p) => console.Out.Note(FormattableString.Invariant(
        $"profile {p.Model}: decode {p.DecodeMsPerBlock:0.###} ms/block, prefill {p.PrefillMsPerToken:0.####} ms/token + {p.PrefillFixedMs:0.###} ms per block, client head {p.ClientMsPerToken:0.###} ms/token, hop overhead {p.HopOverheadMs:0.###} ms"));

}

/// <summary>The JSON shape of `stamen validate --json`.</summary>
internal sealed record ValidationJson(string Model, string? Scenario, RuntimeProfile Profile, IReadOnlyList<SwarmValidationResult> Results, Stamen.Reporting.Report Report);

/// <summary>Profiles keep the runtime's own (PascalCase) field names; generated at build time like every other JSON here.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(RuntimeProfile))]
internal sealed partial class ProfileJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
