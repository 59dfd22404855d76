using Stamen.Cli;
using Stamen.Cli.Commands;

return StamenCli.Run(CliConsole.ForProcess(), args);
