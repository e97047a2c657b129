using NfDtls.PortabilityGuard;

// The portability guard: what the compiled portable assemblies use, checked against nanoFramework's API lists,
// a reviewed baseline and ../shared/PORTABLE.md. `guard --help` for the commands.
return GuardProgram.Run(args, Console.Out, Console.Error);
