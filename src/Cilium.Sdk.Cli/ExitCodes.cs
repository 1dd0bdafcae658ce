namespace Cilium.Sdk.Cli;

/// <summary>The tool's exit codes (documented in <c>cilium-sdk --help</c> and docs/migration.md).</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked; for <c>check</c>: no drift.</summary>
    public const int Success = 0;

    /// <summary>The configuration has errors, or <c>check</c> found drift.</summary>
    public const int Problems = 1;

    /// <summary>The command line is wrong, or an input file cannot be read.</summary>
    public const int Usage = 2;

    /// <summary>The output could not be written (nothing was changed).</summary>
    public const int WriteFailed = 3;

    public const string Help = "Exit codes: 0 success (check: no drift), 1 configuration errors or drift, 2 usage or unreadable input, 3 output could not be written.";
}
