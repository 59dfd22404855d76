using System.CommandLine;

namespace Stamen.Cli.Commands;

/// <summary>The `stamen` command tree. Each command binds its options to a record and calls the library.</summary>
internal static class StamenCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Stamen: plan, simulate and compare distributed LLM inference. " +
            "Run `stamen compare` for the built-in default swarm comparison.");
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(ParetoCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ScenarioCommand.Create());
        root.Subcommands.Add(CatalogCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(EngineCommand.Create());
        root.Subcommands.Add(AdaptersCommand.Create());
        root.Subcommands.Add(SplitCommand.Create());
        root.Subcommands.Add(RuntimeCommands.Serve());
        root.Subcommands.Add(RuntimeCommands.Registry());
        root.Subcommands.Add(RuntimeCommands.Generate());
        root.Subcommands.Add(CalibrationCommands.Profile());
        root.Subcommands.Add(CalibrationCommands.Validate());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }
}
