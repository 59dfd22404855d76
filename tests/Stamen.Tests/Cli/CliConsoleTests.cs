using System.Text.RegularExpressions;
using Stamen.Scenarios;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Cli;

/// <summary>The CLI writes only to the console it is given, so runs side by side keep their output apart.</summary>
public sealed partial class CliConsoleTests
{
    /// <summary>The one source file that may touch the process's console: the factory of the real one.</summary>
    private const string Factory = "CliConsole.cs";

    [Fact]
    public void Sources_NoProcessWideConsoleOutsideTheFactory()
    {
        var root = Path.Combine(ScenarioFiles.RepositoryRoot, "src", "Stamen.Cli");
        var factory = Path.Combine(root, Factory);
        // The pattern finds what the factory does, so an empty list below means something.
        Assert.Contains(File.ReadLines(factory), line => ProcessConsole().IsMatch(line));
        var sources = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj") && f != factory)
            .ToList();
        Assert.NotEmpty(sources);
        var uses = sources
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => ProcessConsole().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(root, l.File)}:{l.Line}: {l.Text.Trim()}");
        Assert.Empty(uses);
    }

    [Fact]
    public void Run_SideBySide_EachRunKeepsItsOwnOutput()
    {
        string[][] commands = [["scenario", "default"], ["catalog", "models"], ["compare", "--runs", "abc"], ["plan", "default", "-a", "petalz"], ["--help"]];
        var alone = commands.Select(c => CliHarness.Run(c)).ToList();
        var together = new CliResult[commands.Length * 4];
        Parallel.For(0, together.Length, i => together[i] = CliHarness.Run(commands[i % commands.Length]));
        for (var i = 0; i < together.Length; i++)
            Assert.Equal(alone[i % commands.Length], together[i]);
    }

    [Fact]
    public void ScenarioDefault_PrintsTheYamlVerbatim()
    {
        var result = CliHarness.Run("scenario", "default");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(BuiltinScenarios.DefaultYaml, result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void ParseError_MessageToErrorAndUsageToOut()
    {
        var result = CliHarness.Run("compare", "--runs", "abc");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cannot parse argument 'abc' for option '--runs'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
    }

    /// <summary>System.Console's writers and state, or Spectre's static console (AnsiConsole., not IAnsiConsole).</summary>
    [GeneratedRegex(@"(?<![\w.])(System\.)?Console\.(Out|Error|In|Write|WriteLine|Read|ReadLine|SetOut|SetError|IsOutputRedirected|IsErrorRedirected|OpenStandard\w+)\b|(?<!\w)AnsiConsole\.")]
    private static partial Regex ProcessConsole();
}
