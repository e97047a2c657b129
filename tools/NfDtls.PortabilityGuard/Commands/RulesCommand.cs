using NfDtls.PortabilityGuard.Checking;

namespace NfDtls.PortabilityGuard.Commands;

/// <summary>rules: the PORTABLE.md constructs the guard recognises, by id (--allow takes the id).</summary>
public static class RulesCommand
{
    public static int Run(TextWriter stdout)
    {
        foreach (var rule in PortabilityRules.All)
        {
            stdout.WriteLine(rule.Id.PadRight(18) + rule.Message);
        }
        return 0;
    }
}
