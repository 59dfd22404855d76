using System.Globalization;
using System.Text;
using System.Text.Json;
using Stamen.Tests.Scenarios;
using Stamen.Tests.Support;
using Xunit.Abstractions;

namespace Stamen.Tests.Fuzz;

/// <summary>
/// Seeded mutations of every example scenario family, each run through its command as a child process with a time limit and a
/// managed-heap limit: every mutant must end in success or one clear error line, never a stack trace, a hang or a heap
/// blown past the limit. <c>STAMEN_FUZZ_MUTANTS</c> sets mutants per family (default 50), <c>STAMEN_FUZZ_SEED</c> the seed,
/// <c>STAMEN_FUZZ_SUMMARY</c> a JSON file to write the summary to (docs/fuzz.md records a longer run).
/// </summary>
[Collection("Fuzz")]
public sealed class ScenarioFuzzTests(ITestOutputHelper output)
{
    // A hang never ends; a legal but large mutant can take a minute in CI's Debug build on 2 busy cores
    // (an adapters study at 37x its rate: 111,000 requests, 48 s of CPU in Release).
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);
    private const long HeapLimitBytes = 2L << 30;

    private static int Mutants => int.TryParse(Environment.GetEnvironmentVariable("STAMEN_FUZZ_MUTANTS"), out var n) && n > 0 ? n : 50;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("STAMEN_FUZZ_SEED"), out var s) ? s : 1;

    /// <summary>
    /// A family: its seed files, the command that runs a mutant (the mutant's path replaces {0}), files the mutant needs beside it,
    /// and the folder its mutants are written under: as deep as the originals, so their relative paths still resolve.
    /// </summary>
    private sealed record Family(string Name, string[] Files, string[] Command, string[]? Beside = null, string Under = "");

    private static Family[] Families()
    {
        var root = ScenarioFiles.RepositoryRoot;
        string Example(string name) => Path.Combine(root, "examples", name);
        string Builtin(string name) => Path.Combine(root, "src", "Stamen", "Scenarios", "Builtin", name);
        var clusters = Path.Combine(root, "data", "helix", "clusters");
        return
        [
            new("swarm", [Builtin("default.yaml"), Example("clustered.yaml"), Example("small-exact.yaml"), Example("scattered-abovenet.yaml"), Example("measured-deployment.yaml")],
                ["simulate", "{0}", "-a", "petals", "-q"]),
            new("engine", [Builtin("engine-default.yaml"), Example("engine-azure-code.yaml"), Example("engine-lora.yaml"), Example("engine-long-context.yaml"), Example("engine-cluster-azure-conv.yaml")],
                ["engine", "simulate", "{0}", "-p", "vllm", "-q"]),
            new("adapters", [Builtin("adapters-default.yaml"), Example("adapters-100-zipf.yaml"), Example("adapters-100-uniform.yaml")],
                ["adapters", "plan", "{0}", "-m", "greedy", "-q"]),
            new("split", [Builtin("split-default.yaml")], ["split", "plan", "{0}"]),
            new("helix", [Path.Combine(clusters, "cluster10.ini"), Path.Combine(clusters, "single24.ini")],
                ["helix", "simulate", "{0}", "--planner", "swarm", "-q"],
                Beside: [Path.Combine(clusters, "machine_profiles.ini")], Under: Path.Combine("data", "helix")),
        ];
    }

    public static TheoryData<string> FamilyNames() => [.. Families().Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void Mutants_EndInSuccessOrOneClearError(string familyName)
    {
        var family = Families().Single(f => f.Name == familyName);
        var dir = Path.Combine(ScenarioFiles.RepositoryRoot, family.Under, $".fuzz-{family.Name}-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        foreach (var file in family.Beside ?? []) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), overwrite: true);
        // Not HashCode.Combine: it is seeded afresh in every process, so the same STAMEN_FUZZ_SEED gave other mutants each run.
        var random = new Random(unchecked(Seed * 7919 + family.Name.Aggregate(17, (h, c) => h * 31 + c)));
        int ok = 0, errors = 0;
        long peakKb = 0;
        var failures = new List<string>();
        var mutations = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < Mutants; i++)
            {
                var source = family.Files[random.Next(family.Files.Length)];
                var (text, mutation) = Mutator.Mutate(File.ReadAllText(source), random);
                mutations[mutation] = mutations.GetValueOrDefault(mutation) + 1;
                var path = Path.Combine(dir, $"m{i:D4}{Path.GetExtension(source)}");
                File.WriteAllText(path, text);
                var outcome = StamenProcess.Run(family.Command.Select(a => string.Format(CultureInfo.InvariantCulture, a, path)), Limit, dir, HeapLimitBytes);
                peakKb = Math.Max(peakKb, outcome.PeakKb);
                var errorLines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (outcome.TimedOut) failures.Add($"{Path.GetFileName(source)} {mutation}: no answer in {Limit.TotalSeconds} s (kept as {path})");
                else if (outcome.Crashed || outcome.ExitCode is not (0 or 2) || (outcome.ExitCode == 2 && !(errorLines.Length == 1 && errorLines[0].StartsWith("error: ", StringComparison.Ordinal))))
                    failures.Add($"{Path.GetFileName(source)} {mutation}: exit {outcome.ExitCode}, {Truncate(outcome.Error)} (kept as {path})");
                else
                {
                    if (outcome.ExitCode == 0) ok++;
                    else errors++;
                    File.Delete(path);
                }
            }
            output.WriteLine($"{family.Name}: {Mutants} mutants, {ok} ran, {errors} clear errors, {failures.Count} failures, peak {peakKb / 1024} MiB");
            WriteSummary(family.Name, ok, errors, failures.Count, peakKb, mutations);
            Assert.True(failures.Count == 0, string.Join("\n", failures));
            // Guards: the mutants reached both outcomes, so the fuzz neither only breaks parsing nor only leaves files valid.
            Assert.True(ok > 0, "no mutant ran to the end");
            Assert.True(errors > 0, "no mutant was refused");
        }
        finally
        {
            if (failures.Count == 0) Directory.Delete(dir, recursive: true);
        }
    }

    private static string Truncate(string s) => s.Length <= 600 ? s : s[..600] + "...";

    private static readonly Lock SummaryGate = new();

    private static void WriteSummary(string family, int ok, int errors, int failures, long peakKb, Dictionary<string, int> mutations)
    {
        if (Environment.GetEnvironmentVariable("STAMEN_FUZZ_SUMMARY") is not { Length: > 0 } path) return;
        lock (SummaryGate)
            File.AppendAllText(path, JsonSerializer.Serialize(new { family, mutants = ok + errors + failures, ran = ok, clear_errors = errors, failures, peak_mib = peakKb / 1024, mutations }) + "\n");
    }
}

/// <summary>One random edit of a scenario's text, biased to numbers (where the bounds live), and named for the report.</summary>
internal static class Mutator
{
    private static readonly string[] Extremes =
    [
        "0", "-1", "1", "2147483647", "-2147483648", "9223372036854775807", "1e15", "1e308", "-1e308", "1e-320", "NaN", ".inf", "-.inf",
        "0.5", "3.7", "abc", "\"\"", "1e12", "99999999",
    ];

    private static readonly string[] Strings = ["/dev/zero", "/", "", "nonexistent", "\"a\\u0000b\"", "[1, 2]", "{a: 1}", "~", "null"];

    public static (string Text, string Mutation) Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var kind = random.Next(100);
        if (kind < 55 && NumberSpots(lines) is { Count: > 0 } spots)
        {
            var (line, start, length) = spots[random.Next(spots.Count)];
            var replacement = random.Next(4) == 0
                ? Scale(lines[line].Substring(start, length), random)
                : Extremes[random.Next(Extremes.Length)];
            lines[line] = lines[line][..start] + replacement + lines[line][(start + length)..];
            return (string.Join('\n', lines), $"number->{replacement}");
        }
        var at = random.Next(lines.Count);
        switch (kind)
        {
            case < 65:
                lines.RemoveAt(at);
                return (string.Join('\n', lines), "delete-line");
            case < 72:
                lines.Insert(at, lines[at]);
                return (string.Join('\n', lines), "duplicate-line");
            case < 80:
                var colon = lines[at].IndexOf(':', StringComparison.Ordinal);
                var eq = lines[at].IndexOf('=', StringComparison.Ordinal);
                var cut = colon >= 0 ? colon + 1 : eq >= 0 ? eq + 1 : -1;
                if (cut < 0) goto default;
                var value = Strings[random.Next(Strings.Length)];
                lines[at] = lines[at][..cut] + " " + value;
                return (string.Join('\n', lines), $"value->{value}");
            case < 85:
                lines.Insert(at, new string(' ', random.Next(0, 6)) + "unknown_field_x: 1");
                return (string.Join('\n', lines), "unknown-field");
            case < 90:
                return (text[..random.Next(text.Length)], "truncate");
            case < 94:
                var depth = random.Next(2) == 0 ? 100 : 50_000;
                return (text + "\ndeep: " + new string('[', depth) + new string(']', depth) + "\n", $"nesting-{depth}");
            case < 97:
                var swapped = lines[at].Replace(":", ": [", StringComparison.Ordinal);
                lines[at] = swapped;
                return (string.Join('\n', lines), "open-bracket");
            default:
                lines.Insert(at, new string('x', 100_000));
                return (string.Join('\n', lines), "long-line");
        }
    }

    private static string Scale(string number, Random random)
    {
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return number;
        var factor = new[] { 1000.0, 1e6, 0.001, -1 }[random.Next(4)];
        var scaled = v * factor;
        return number.Contains('.', StringComparison.Ordinal) || factor < 1 && factor > 0
            ? scaled.ToString("R", CultureInfo.InvariantCulture)
            : Math.Round(scaled).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Where numbers stand in the text (outside comments): line, start and length of each.</summary>
    private static List<(int Line, int Start, int Length)> NumberSpots(List<string> lines)
    {
        var spots = new List<(int, int, int)>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var end = line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? hash : line.Length;
            for (var j = 0; j < end; j++)
            {
                if (!(char.IsAsciiDigit(line[j]) && (j == 0 || !char.IsAsciiLetterOrDigit(line[j - 1]) && line[j - 1] is not '_' and not '-' and not '.'))) continue;
                var k = j;
                while (k < end && (char.IsAsciiDigit(line[k]) || line[k] is '.' or 'e' or 'E' || (line[k] is '-' or '+' && k > 0 && line[k - 1] is 'e' or 'E'))) k++;
                if (k < end && (char.IsAsciiLetter(line[k]) || line[k] is '_' or '/')) { j = k; continue; }
                spots.Add((i, j, k - j));
                j = k;
            }
        }
        return spots;
    }
}
