using Dendrite.Cli.Commands;

// Parsing and dispatch only: the commands live in Commands/, the experiments in Lab/, the report writer in Reports/.
return CliApp.Run(args, CliConsole.FromProcess());
