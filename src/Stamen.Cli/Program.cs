using Stamen.Cli.Commands;

return StamenCli.Build().Parse(args).Invoke();
