using System.Runtime.InteropServices;
using System.CommandLine;

namespace Stamen.Cli.Commands;

/// <summary>The `stamen` command tree. Each command binds its options to a record and calls the library.</summary>
internal static class StamenCli
{
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand(
            "Stamen: plan, simulate and compare distributed LLM inference. " +
            "Run `stamen compare` for the built-in default swarm comparison.");
        root.Subcommands.Add(CompareCommand.Create(console));
        root.Subcommands.Add(PlanCommand.Create(console));
        root.Subcommands.Add(ParetoCommand.Create(console));
        root.Subcommands.Add(SimulateCommand.Create(console));
        root.Subcommands.Add(ThroughputCommand.Create(console));
        root.Subcommands.Add(ScenarioCommand.Create(console));
        root.Subcommands.Add(CatalogCommand.Create(console));
        root.Subcommands.Add(ReproduceCommand.Create(console));
        root.Subcommands.Add(SweepCommand.Create(console));
        root.Subcommands.Add(EngineCommand.Create(console));
        root.Subcommands.Add(AdaptersCommand.Create(console));
        root.Subcommands.Add(SplitCommand.Create(console));
        root.Subcommands.Add(HelixCommand.Create(console));
        root.Subcommands.Add(RuntimeCommands.Serve(console));
        root.Subcommands.Add(RuntimeCommands.Registry(console));
        root.Subcommands.Add(RuntimeCommands.Generate(console));
        root.Subcommands.Add(RuntimeCommands.SwarmKeyCommand(console));
        root.Subcommands.Add(CalibrationCommands.Profile(console));
        root.Subcommands.Add(CalibrationCommands.Validate(console));
        root.Subcommands.Add(ReportCommand.Create(console));
        CheckOutputsFirst(root);
        return root;
    }

    private static readonly string[] OutputOptions = ["--json", "--report", "--output", "--requests", "--markdown", "--export"];

    /// <summary>
    /// Every output path option of every command is checked when the command line is parsed (not a folder, in a folder that
    /// exists), so a typo is reported before minutes of work rather than after.
    /// </summary>
    private static void CheckOutputsFirst(Command command)
    {
        foreach (var option in command.Options)
        {
            if (option.ValueType != typeof(string) || !OutputOptions.Contains(option.Name, StringComparer.Ordinal)) continue;
            option.Validators.Add(result =>
            {
                if (result.Tokens.Count == 0) return;
                var value = result.Tokens[^1].Value;
                if (Stamen.IO.AtomicFile.Problem(value) is { } problem) result.AddError($"{option.Name} {value}: {problem}");
            });
        }
        foreach (var sub in command.Subcommands) CheckOutputsFirst(sub);
    }

    /// <summary>Runs `stamen ARGS`: help and parse errors go to the console's writers as well.</summary>
    public static int Run(CliConsole console, string[] args) => Build(console).Parse(args).Invoke(console.Invocation());

    /// <summary>
    /// As <see cref="Run"/>, for the process. SIGINT and SIGTERM cancel the command's token instead of ending the process, so
    /// `serve` can leave the registry and finish requests in flight and every command can clean up; a command that has not
    /// returned <see cref="StopGrace"/> after the signal is ended with 128 + the signal's number. Owned here rather than left to
    /// System.CommandLine, whose own handler could report 143 for a command that had stopped cleanly.
    /// </summary>
    public static async Task<int> RunProcessAsync(CliConsole console, string[] args)
    {
        var parse = Build(console).Parse(args);
        // Commands that wait on the network take a token and stop cleanly; the others are ended by the signal at once, as
        // before (their outputs are written through temporary files, removed at exit).
        var cooperative = parse.Action is System.CommandLine.Invocation.AsynchronousCommandLineAction;
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (!cooperative) return;
            context.Cancel = true;
            if (stop.IsCancellationRequested) return;
            var code = context.Signal == PosixSignal.SIGTERM ? 143 : 130;
            stop.Cancel();
            _ = Task.Delay(StopGrace).ContinueWith(_ => Environment.Exit(code), TaskScheduler.Default);
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var invocation = console.Invocation();
        invocation.ProcessTerminationTimeout = null;
        return await parse.InvokeAsync(invocation, stop.Token).ConfigureAwait(false);
    }

    /// <summary>How long a command may take to stop cleanly after Ctrl+C or SIGTERM.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
}
