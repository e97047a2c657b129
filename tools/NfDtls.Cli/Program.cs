using NfDtls.Cli;

// nfdtls: one binary, one subcommand per job. Each command lives in Commands/ and is listed in CommandTable.
return CommandTable.Run(args);
