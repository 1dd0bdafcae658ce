using System.Globalization;

namespace Cilium.Sdk.Output;

/// <summary>
/// What a check of the repository around the generated tree found in a file the SDK does not own (a <c>.sops.yaml</c>
/// whose creation rules miss a secret file the SDK writes, a <c>talconfig.yaml</c> that does not apply the SDK's patch):
/// an error stops a write and fails <c>check</c>; a warning is reported and changes nothing.
/// </summary>
/// <param name="Path">The file, relative to the repository root.</param>
/// <param name="Line">The 1-based line the finding is about, or null for the whole file.</param>
/// <param name="Message">What is wrong, with the value that is wrong. Never a secret.</param>
/// <param name="Fix">How to fix it (for an error, often the exact YAML to add).</param>
/// <param name="IsError">True for an error, false for a warning.</param>
public sealed record RepositoryFinding(string Path, int? Line, string Message, string Fix, bool IsError)
{
    /// <summary>The finding as one line, e.g. <c>.sops.yaml:9: ... Fix: ...</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Where}: {Message}. Fix: {Fix}";

    /// <summary>The path, with <c>:line</c> when known.</summary>
    internal string Where => Line is { } line ? Path + ":" + line.ToString(CultureInfo.InvariantCulture) : Path;

    /// <summary>The finding as a conflict of a refused write.</summary>
    internal OutputConflict ToConflict() =>
        new(Path, (Line is { } line ? "line " + line.ToString(CultureInfo.InvariantCulture) + ": " : string.Empty) + Message, Fix);
}
