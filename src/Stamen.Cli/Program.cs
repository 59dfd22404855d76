using Stamen.Cli;
using Stamen.Cli.Commands;

return await StamenCli.RunProcessAsync(CliConsole.ForProcess(), args).ConfigureAwait(false);
