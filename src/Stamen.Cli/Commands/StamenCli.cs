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
        return root;
    }

    /// <summary>Runs `stamen ARGS`: help and parse errors go to the console's writers as well.</summary>
    public static int Run(CliConsole console, string[] args) => Build(console).Parse(args).Invoke(console.Invocation());

    /// <summary>
    /// As <see cref="Run"/>, for the process: the asynchronous invocation is the one that turns SIGINT and SIGTERM into the
    /// command's cancellation (the synchronous one lets the runtime kill the process at once), so `serve` can leave the
    /// registry and finish requests in flight; a command that has not returned <see cref="StopGrace"/> after the signal is ended.
    /// </summary>
    public static Task<int> RunProcessAsync(CliConsole console, string[] args)
    {
        var invocation = console.Invocation();
        invocation.ProcessTerminationTimeout = StopGrace;
        return Build(console).Parse(args).InvokeAsync(invocation);
    }

    /// <summary>How long a command may take to stop cleanly after Ctrl+C or SIGTERM.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
}
