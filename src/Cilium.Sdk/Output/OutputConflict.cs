namespace Cilium.Sdk.Output;

/// <summary>One reason the writer refused to write: which path, what is wrong, and how to fix it.</summary>
/// <param name="Path">The path relative to the output root (or the directory itself).</param>
/// <param name="Message">What is wrong. Never contains file content or a secret.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record OutputConflict(string Path, string Message, string Fix)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}. Fix: {Fix}";
}
